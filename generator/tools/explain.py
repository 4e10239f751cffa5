"""`storygen explain`: each sentence of a story with its phase, template, source, fills and the
alternatives it took."""

from __future__ import annotations

from typing import Any

from ..engine import StoryGenerator
from ..model.alternatives import taken
from ..model.templates import slot_keys
from ..paths import seed_dir
from ..render.reference import render_story


def _source_sentence(seed_file: str, start: int, end: int) -> str:
    path = seed_dir() / seed_file
    try:
        return path.read_text("utf-8").replace("\r\n", "\n")[start:end]
    except OSError:
        return "(seed file not available)"


def explain(generator: StoryGenerator, seed: int, index: int) -> dict[str, Any]:
    """A structured explanation of one story."""
    plan = generator.sampler.plan(seed, index)
    story = render_story(plan, generator.program)
    sentences = []
    templates = [s for u in plan.units for s in u.sentences]
    for span, template in zip(story.sentences, templates):
        keys = list(dict.fromkeys(slot_keys(template.parts)))
        sentences.append({
            "phase": span.phase,
            "template_id": template.id,
            "text": story.text[span.start : span.end],
            "template": template.template,
            "source": {"seed": template.source.seed, "start": template.source.start, "end": template.source.end,
                       "sentence": _source_sentence(template.source.seed, template.source.start, template.source.end)},
            "fills": {key: plan.values[key] for key in keys},
            "alternatives": [{"replaces": a.replaces, "with": a.text, "from": list(a.sources)}
                             for a in taken(generator.grammar.sentence(template.id), template)],
        })
    return {"id": story.id, "pronouns": story.pronouns, "arc": list(story.arc),
            "units": [u.id for u in plan.units], "sentences": sentences}


def format_explanation(data: dict[str, Any]) -> str:
    """The explanation as readable text."""
    lines = [f"story {data['id']}: pronouns {data['pronouns']}; arc {' -> '.join(data['arc'])}; "
             f"units {' '.join(data['units'])}", ""]
    for number, s in enumerate(data["sentences"], 1):
        src = s["source"]
        lines += [
            f"[{number}] {s['phase']}, template {s['template_id']} ({src['seed']}, characters {src['start']}-{src['end']})",
            f"    text:     {s['text']}",
            f"    template: {s['template']}",
            f"    source:   {src['sentence']}",
            f"    fills:    {', '.join(f'{k}={v}' for k, v in s['fills'].items()) or '(none)'}",
            *([f"    took:     {a['replaces']!r} -> {a['with']!r} (from {', '.join(a['from'])})" for a in s["alternatives"]]
              or ["    took:     the seed's own wording"]),
            "",
        ]
    return "\n".join(lines)
