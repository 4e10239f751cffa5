"""Readers: grammar and culture files, templates and seed stories, each error naming its place."""
