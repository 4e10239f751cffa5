"""The sampler written the plain way, one story and one decision at a time: the oracle that the
batched numpy sampler (`generator.sample`) must match plan for plan."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import accumulate

from generator.model.alternatives import SAID_TWICE, opener_marks, sampled_variants, told_units
from generator.model.controls import Controls
from generator.model.culture import Culture
from generator.model.grammar import Grammar, Unit
from generator.model.plan import Plan
from generator.model.slots import slot_table
from generator.model.templates import fill_parts
from generator.render.reference import fill
from generator.sample import rng
from generator.sample.constraints import fits
from generator.sample.controls import wanted_lengths
from generator.sample.sampler import LENGTH_TRIES
from generator.sample.unit_relations import exclusions, life_stages, telling_order, told_before
from generator.sample.unit_rules import ENDING_ROOM, fits_seed_share, overshoot_limit, rank_key

# Every decision a story reads, by name (the batched sampler derives the same names from the slot table).
SLOT_DECISIONS = (
    "pronouns", "hero.gender", "hero.first", "hero.surname", "hero.age", "home", "city", "instrument", "genre",
    "album", "competition", "abroad", "landscape", "landscape2", "town", "mentor.pronouns", "mentor.gender", "mentor.surname", "arc", "lengths",
)
TABLE = slot_table()
AGE_RANGE = TABLE.ages
HONORIFICS = TABLE.honorifics


class ReferenceSampler:
    """Draws story plans from a grammar and a culture pack, one story at a time."""

    def __init__(self, grammar: Grammar, culture: Culture, controls: Controls | None = None) -> None:
        self.grammar = grammar
        self.culture = culture
        self.controls = controls or Controls()
        self.wanted = wanted_lengths(self.controls, grammar)  # --sentences' bounds, or the seeds' lengths
        self.pronoun_keys = list(grammar.pronoun_weights)
        self.pronoun_cumulative = list(accumulate(grammar.pronoun_weights.values()))
        self.arc_cumulative = list(accumulate(a.weight for a in grammar.arcs))
        # Other characters with pronouns of their own (the talent scout's "He offered ...").
        self.roles = sorted({t.entity for t in grammar.slots.values() if t.label == "PRONOUN" and t.entity != "hero"})
        # Relatives the grammar names: their word fixes their pronouns ('mother' is 'she').
        self.kin = {role: fixed for role, fixed in TABLE.kin.items()
                    if any(key.partition(".")[0] == role for key in grammar.slots)}
        kin_draws = (f"{role}.{part}" for role in self.kin for part in ("first", "surname"))
        # People named by what they do (a teacher, an associate): any gender, their names drawn.
        named = {key.partition(".")[0] for key, spec in TABLE.slots.items() if spec.source is not None
                 and spec.source.kind == "person" and spec.source.part in ("full", "given", "surname")}
        used = {key.partition(".")[0] for key in grammar.slots} & named - {"hero", *TABLE.kin}
        self.named = [role for role in dict.fromkeys(key.partition(".")[0] for key in TABLE.slots) if role in used]
        # Everyone but the hero a story may call by their given name, in the slot table's order.
        self.given_named = list(dict.fromkeys(
            key.partition(".")[0] for key, spec in TABLE.slots.items() if key.partition(".")[0] != "hero"
            and spec.source is not None and spec.source.kind == "person" and spec.source.part in ("full", "given")
            and (not spec.optional or key in grammar.slots)))
        named_draws = (f"{role}.{part}" for role in self.named for part in ("first", "surname", "gender", "pronouns")
                       if role not in self.roles or part != "pronouns")
        self.decision_names = (*SLOT_DECISIONS, *(f"{role}.pronouns" for role in self.roles), *kin_draws, *named_draws)
        self.decisions = [rng.decision_key(name) for name in self.decision_names]
        self.decisions += [rng.decision_key(f"unit:{u.id}") for u in grammar.units]
        self.position = dict(zip((u.id for u in grammar.units), telling_order(grammar)))
        every = told_units(grammar)[0].units
        self.marks = {(u.id, u.variant): mark for u, mark in zip(every, opener_marks(every))}
        self.exclusions = exclusions(grammar)
        self.told = {u.id: told_before(u) for u in grammar.units}
        # The seeds call the city abroad "the Russian capital", so only capitals can take its place.
        self.foreign = tuple(f for f in culture.foreign if f.capital) or culture.foreign

    def plans(self, seed: int, start: int, count: int) -> Iterator[Plan]:
        """Plans for stories start .. start+count-1."""
        for index in range(start, start + count):
            yield self._plan(seed, index, rng.story_key(seed, index))

    def plan(self, seed: int, index: int) -> Plan:
        """The plan of one story."""
        return next(self.plans(seed, index, 1))

    # --- one story ----------------------------------------------------------------------------
    def _plan(self, seed: int, index: int, key: int) -> Plan:
        d = dict(zip(self.decision_names, (rng.mix64(key ^ decision) for decision in self.decisions)))
        drawn = self.pronoun_keys[rng.weighted(d["pronouns"], self.pronoun_cumulative)]
        pronouns = self.controls.pronouns or drawn
        values = self._values(d, pronouns)
        # A story whose length falls outside the wanted lengths redraws what it tells (from keys of
        # its own), keeping the first draw nearest them.
        low, high = self.wanted
        best: tuple[float, tuple[str, ...], tuple[Unit, ...]] | None = None
        for attempt in range(LENGTH_TRIES + 1):
            phases, units = self._told(key if attempt == 0 else rng.mix64(key ^ rng.decision_key(f"retry:{attempt}")), values)
            length = sum(len(u.sentences) for u in units)
            miss = max(low - length, 0) + max(length - high, 0)
            if best is None or miss < best[0]:
                best = (miss, phases, units)
            if miss == 0:
                break
        assert best is not None
        return Plan(seed, index, pronouns, values, best[1], best[2])

    def _told(self, key: int, values: dict[str, str]) -> tuple[tuple[str, ...], tuple[Unit, ...]]:
        """The phases and told units the draws of `key` give a story with these values."""
        d = dict(zip(self.decision_names, (rng.mix64(key ^ decision) for decision in self.decisions)))
        arc = self.grammar.arcs[rng.weighted(d["arc"], self.arc_cumulative)]
        lengths = arc.lengths[rng.below(d["lengths"], len(arc.lengths))]
        steps = [(p, n) for p, n in zip(arc.phases, lengths) if self.controls.phases is None or p in self.controls.phases]
        # Rendezvous ranking: each story orders a phase's units by their draws, highest first.
        units = self.grammar.units
        unit_draws = {u.id: rng.mix64(key ^ rng.decision_key(f"unit:{u.id}")) for u in units}
        order = {}
        for phase in self.grammar.phases:
            local = [u for u in units if u.phase == phase]
            ranks = {u.id: rank_key(unit_draws[u.id], column, len(local)) for column, u in enumerate(local)}
            # A unit that keeps its seed's literals on every path is never told in a sampled story.
            order[phase] = [u for u in sorted(local, key=lambda u: ranks[u.id], reverse=True) if sampled_variants(u)]
        # A unit is told only when the story's values make its first sampled variant's templates true.
        usable = {phase: [u for u in units if fits(sampled_variants(u)[0], values, self.culture)] for phase, units in order.items()}
        told = self._units(self._bounded(steps), usable)
        return tuple(p for p, _ in steps), self._variants(key, told, values)

    def _variants(self, key: int, units: tuple[Unit, ...], values: dict[str, str]) -> tuple[Unit, ...]:
        """Each told unit through the variant its own draw picks, or, if the story's values make
        that one untrue or it opens a sentence with an opener the story has told, the next of its
        variants that is neither (else the first true one from the drawn one on)."""
        told: list[Unit] = []
        used = SAID_TWICE
        for unit in units:
            variants = sampled_variants(unit)
            drawn = rng.below(rng.mix64(key ^ rng.decision_key(f"variant:{unit.id}")), len(variants))
            order = [variants[(drawn + step) % len(variants)] for step in range(len(variants))]
            true = [v for v in order if fits(v, values, self.culture)]
            pick = next((v for v in true if not self.marks[v.id, v.variant] & used), true[0])
            told.append(pick)
            used |= self.marks[pick.id, pick.variant]
        return tuple(told)

    def _bounded(self, steps: list[tuple[str, int]]) -> list[tuple[str, int]]:
        """Scale the arc's sentence targets into the --sentences bounds."""
        total = sum(n for _, n in steps) or 1
        low, high = self.controls.min_sentences, self.controls.max_sentences
        goal = max(low, min(total, high if high is not None else total))
        if goal == total:
            return steps
        return [(p, max(1, round(n * goal / total))) for p, n in steps]

    def _own_surname(self, d: dict[str, int], role: str) -> int:
        """Anyone outside the family has another surname than the hero's: the next one."""
        n = len(self.culture.surnames)
        surname, hero = rng.below(d[f"{role}.surname"], n), rng.below(d["hero.surname"], n)
        return (surname + 1) % n if surname == hero else surname

    def _values(self, d: dict[str, int], pronouns: str) -> dict[str, str]:
        c = self.culture
        gender = _gender(pronouns, d["hero.gender"])
        first = _pick(c.given_names[gender], d["hero.first"])
        surname = _pick(c.surnames, d["hero.surname"])[gender]
        mentor_pronouns = ("he", "she")[rng.below(d["mentor.pronouns"], 2)]
        mentor_surname = c.surnames[self._own_surname(d, "mentor")][_gender(mentor_pronouns, d["mentor.gender"])]
        instrument = _pick(c.instruments, d["instrument"])
        abroad = _pick(self.foreign, d["abroad"])
        values = {
            "hero.name": f"{first} {surname}",
            "hero.first": first,
            "hero.surname": surname,
            "hero.age": str(AGE_RANGE[0] + rng.below(d["hero.age"], AGE_RANGE[1] - AGE_RANGE[0])),
            **{f"hero.{form}": word for form, word in self.grammar.pronoun_sets[pronouns].items()},
            "mentor.name": f"{HONORIFICS[mentor_pronouns]} {mentor_surname}",
        }
        if "mentor" in self.roles:
            values.update({f"mentor.{form}": word for form, word in self.grammar.pronoun_sets[mentor_pronouns].items()})
        home = rng.below(d["home"], len(c.towns))
        values.update({
            "home": c.towns[home].name,
            # Another town of the country than the hero's home, for a grammar that names one.
            **({"town": c.towns[(home + 1 + rng.below(d["town"], len(c.towns) - 1)) % len(c.towns)].name}
               if "town" in self.grammar.slots else {}),
            "city": (c.largest_city, c.capital)[rng.below(d["city"], 2)],
            "capital": c.capital,
            "largest_city": c.largest_city,
            "country": c.country,
            "region": c.region,
            "region_adjective": c.region_adjective,
            "nationality": c.nationality,
            "demonym": c.demonym,
            "language": c.language,
            "currency": c.currency,
            "landscape": _pick(c.landscapes, d["landscape"]),
            "landscape2": c.landscapes[(rng.below(d["landscape"], len(c.landscapes)) + 1
                                        + rng.below(d["landscape2"], len(c.landscapes) - 1)) % len(c.landscapes)],
            "instrument.name": instrument.name,
            "instrument.player": instrument.player,
            "genre": _pick(c.genres, d["genre"]),
            "abroad.city": abroad.city,
            "abroad.country": abroad.country,
            "abroad.nationality": abroad.nationality,
            "abroad.landmark1": abroad.landmarks[0],
            "abroad.landmark2": abroad.landmarks[1],
        })
        # No two people a story calls by their given names share one: taken in the slot table's
        # order, a name someone earlier has gives way to the next of the same gender.
        givens: dict[str, str] = {}
        used = [first]
        for role in self.given_named:
            fixed = self.kin.get(role)
            gender = _gender(fixed, 0) if fixed else _gender(("he", "she")[rng.below(d[f"{role}.pronouns"], 2)], d[f"{role}.gender"])
            names = c.given_names[gender]
            given = _pick(names, d[f"{role}.first"])
            while given in used:
                given = names[(names.index(given) + 1) % len(names)]
            givens[role] = given
            used.append(given)
        for role in self.named:
            role_set = ("he", "she")[rng.below(d[f"{role}.pronouns"], 2)]
            gender = _gender(role_set, d[f"{role}.gender"])
            given = givens[role]
            own = c.surnames[self._own_surname(d, role)][gender]
            for part, value in (("first", given), ("name", f"{given} {own}"), ("surname", own)):
                if f"{role}.{part}" in self.grammar.slots:
                    values[f"{role}.{part}"] = value
            if role in self.roles:  # their pronoun forms follow their names, as the table orders them
                values.update({f"{role}.{form}": word for form, word in self.grammar.pronoun_sets[role_set].items()})
        for role, fixed in self.kin.items():
            gender = _gender(fixed, 0)
            given = givens.get(role) or _pick(c.given_names[gender], d[f"{role}.first"])
            family = _pick(c.surnames, d["hero.surname"])[gender]  # the hero's surname in the relative's form
            for part, value in (("first", given), ("name", f"{given} {_pick(c.surnames, d[f'{role}.surname'])[gender]}"),
                                ("family", family)):
                if f"{role}.{part}" in self.grammar.slots:
                    values[f"{role}.{part}"] = value
            if role in self.roles:
                values.update({f"{role}.{form}": word for form, word in self.grammar.pronoun_sets[fixed].items()})
        for role in self.roles:
            if role == "mentor" or role in self.kin or role in self.named:
                continue
            role_set = ("he", "she")[rng.below(d[f"{role}.pronouns"], 2)]
            values.update({f"{role}.{form}": word for form, word in self.grammar.pronoun_sets[role_set].items()})
        values.update(self.controls.values)
        values["album"] = fill_parts(_pick(c.albums, d["album"]), lambda p: fill(p, values)[0])
        values["competition"] = fill_parts(_pick(c.competitions, d["competition"]), lambda p: fill(p, values)[0])
        return values

    def _units(self, steps: list[tuple[str, int]], order: dict[str, list[Unit]]) -> tuple[Unit, ...]:
        chosen: list[Unit] = []
        chosen_ids: set[str] = set()
        events: set[str] = set()
        per_seed: dict[str, int] = {}
        limit = None if self.wanted[1] == float("inf") else int(self.wanted[1])
        total = 0

        def take(unit: Unit) -> None:
            nonlocal total
            chosen.append(unit)
            chosen_ids.add(unit.id)
            events.update(unit.events)
            seed = unit.sentences[0].source.seed
            per_seed[seed] = per_seed.get(seed, 0) + len(unit.sentences)
            total += len(unit.sentences)

        stages = dict(zip((u.id for u in self.grammar.units), life_stages(self.grammar)))
        reached = 0  # the stage of the life earlier phases reached: a unit may not start before it
        for step, (phase, target) in enumerate(steps):
            target += max(sum(n for _, n in steps[:step]) - total, 0)  # a phase's shortfall passes on
            reached = max([reached, *(stages[u.id][1] for u in chosen)])
            start_total = total
            phase_first = len(chosen)  # the units of this phase, the intro included
            intros = [u for u in order[phase] if u.intro] if step == 0 else []
            if intros and (limit is None or len(intros[0].sentences) <= limit):
                take(intros[0])  # the story opens by introducing its protagonist
            phase_start = len(chosen)
            for unit in order[phase]:
                count = total - start_total
                if count >= target:
                    break
                if unit.intro or unit.id in chosen_ids or events.intersection(unit.events) or stages[unit.id][0] < reached:
                    continue
                if not chosen_ids.issuperset(unit.requires) or chosen_ids & self.exclusions[unit.id]:
                    continue
                # A performance sets up the stage only within its phase; in this phase, only a unit
                # told before this one (at no later a position) tells what it needs.
                told = {kind for u in chosen[:phase_start] for kind in self.told[u.id][0]
                        if kind != "performance" or u in chosen[phase_first:]}
                told |= {kind for u in chosen[phase_start:] if self.position[u.id] <= self.position[unit.id]
                         for kind in self.told[u.id][0]}
                if not self.told[unit.id][1] <= told or self.told[unit.id][2] & told:
                    continue  # it needs a performance or a hardship told before it, or is at home after a move
                if count and count + len(unit.sentences) > overshoot_limit(target):
                    continue
                if limit is not None and total + len(unit.sentences) > limit - ENDING_ROOM * (len(steps) - step - 1):
                    continue
                if not fits_seed_share(per_seed.get(unit.sentences[0].source.seed, 0), len(unit.sentences)):
                    continue  # a story mixes its seeds rather than retelling one
                take(unit)
            # Within a phase, tell units in the order their seeds told them.
            chosen[phase_start:] = sorted(chosen[phase_start:], key=lambda u: self.position[u.id])
        return tuple(chosen)


def _gender(pronouns: str, draw: int) -> str:
    if pronouns == "he":
        return "male"
    if pronouns == "she":
        return "female"
    return ("male", "female")[rng.below(draw, 2)]


def _pick(options: tuple, draw: int):  # type: ignore[no-untyped-def, type-arg]
    return options[rng.below(draw, len(options))]
