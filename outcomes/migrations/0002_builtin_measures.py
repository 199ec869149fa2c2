"""Load the built-in measures (SWEMWBS, ONS4, UCLA-3, the ONS loneliness question).

Frozen: the measures and the loading code are copied here as they were when this
migration was written, so later changes to outcomes/builtin.py or to
``sync_builtin_measures`` cannot change what this step does on a new database. Later
wording changes reach existing databases through ``measures_sync_builtin`` or a
migration of their own.
"""

from django.db import migrations

BUILTIN_MEASURES = [
    {
        "code": "swemwbs",
        "name": "Short Warwick-Edinburgh Mental Wellbeing Scale (SWEMWBS)",
        "short_name": "SWEMWBS",
        "scoring": "swemwbs",
        "higher_is_better": True,
        "requires_licence": True,
        "notice": "Short Warwick Edinburgh Mental Wellbeing Scale (SWEMWBS) © NHS Health Scotland, "
        "University of Warwick and University of Edinburgh, 2008, all rights reserved.",
        "question": "Below are some statements about feelings and thoughts. Please tick the box that "
        "best describes your experience of each over the last 2 weeks.",
        "items": [
            {
                "code": "optimistic",
                "text": "I've been feeling optimistic about the future",
                "answers": [
                    [1, "None of the time"],
                    [2, "Rarely"],
                    [3, "Some of the time"],
                    [4, "Often"],
                    [5, "All of the time"],
                ],
            },
            {
                "code": "useful",
                "text": "I've been feeling useful",
                "answers": [
                    [1, "None of the time"],
                    [2, "Rarely"],
                    [3, "Some of the time"],
                    [4, "Often"],
                    [5, "All of the time"],
                ],
            },
            {
                "code": "relaxed",
                "text": "I've been feeling relaxed",
                "answers": [
                    [1, "None of the time"],
                    [2, "Rarely"],
                    [3, "Some of the time"],
                    [4, "Often"],
                    [5, "All of the time"],
                ],
            },
            {
                "code": "problems",
                "text": "I've been dealing with problems well",
                "answers": [
                    [1, "None of the time"],
                    [2, "Rarely"],
                    [3, "Some of the time"],
                    [4, "Often"],
                    [5, "All of the time"],
                ],
            },
            {
                "code": "thinking",
                "text": "I've been thinking clearly",
                "answers": [
                    [1, "None of the time"],
                    [2, "Rarely"],
                    [3, "Some of the time"],
                    [4, "Often"],
                    [5, "All of the time"],
                ],
            },
            {
                "code": "close",
                "text": "I've been feeling close to other people",
                "answers": [
                    [1, "None of the time"],
                    [2, "Rarely"],
                    [3, "Some of the time"],
                    [4, "Often"],
                    [5, "All of the time"],
                ],
            },
            {
                "code": "own_mind",
                "text": "I've been able to make up my own mind about things",
                "answers": [
                    [1, "None of the time"],
                    [2, "Rarely"],
                    [3, "Some of the time"],
                    [4, "Often"],
                    [5, "All of the time"],
                ],
            },
        ],
    },
    {
        "code": "ons4",
        "name": "ONS personal wellbeing (ONS4)",
        "short_name": "ONS4",
        "scoring": "separate",
        "higher_is_better": True,
        "requires_licence": False,
        "notice": "Source: Office for National Statistics (ONS) personal well-being questions.",
        "question": "Answer each question on a scale of 0 to 10, where 0 is 'not at all' and 10 is "
        "'completely'.",
        "items": [
            {
                "code": "satisfied",
                "text": "Overall, how satisfied are you with your life nowadays?",
                "answers": [
                    [0, "0 Not at all"],
                    [1, "1"],
                    [2, "2"],
                    [3, "3"],
                    [4, "4"],
                    [5, "5"],
                    [6, "6"],
                    [7, "7"],
                    [8, "8"],
                    [9, "9"],
                    [10, "10 Completely"],
                ],
            },
            {
                "code": "worthwhile",
                "text": "Overall, to what extent do you feel that the things you do in your life are "
                "worthwhile?",
                "answers": [
                    [0, "0 Not at all"],
                    [1, "1"],
                    [2, "2"],
                    [3, "3"],
                    [4, "4"],
                    [5, "5"],
                    [6, "6"],
                    [7, "7"],
                    [8, "8"],
                    [9, "9"],
                    [10, "10 Completely"],
                ],
            },
            {
                "code": "happy",
                "text": "Overall, how happy did you feel yesterday?",
                "answers": [
                    [0, "0 Not at all"],
                    [1, "1"],
                    [2, "2"],
                    [3, "3"],
                    [4, "4"],
                    [5, "5"],
                    [6, "6"],
                    [7, "7"],
                    [8, "8"],
                    [9, "9"],
                    [10, "10 Completely"],
                ],
            },
            {
                "code": "anxious",
                "text": "Overall, how anxious did you feel yesterday?",
                "answers": [
                    [0, "0 Not at all"],
                    [1, "1"],
                    [2, "2"],
                    [3, "3"],
                    [4, "4"],
                    [5, "5"],
                    [6, "6"],
                    [7, "7"],
                    [8, "8"],
                    [9, "9"],
                    [10, "10 Completely"],
                ],
            },
        ],
    },
    {
        "code": "ucla3",
        "name": "UCLA 3-item loneliness scale",
        "short_name": "UCLA-3",
        "scoring": "sum",
        "higher_is_better": False,
        "requires_licence": False,
        "notice": "Source: Office for National Statistics (ONS) personal well-being questions.",
        "question": "How often do you feel...",
        "items": [
            {
                "code": "companionship",
                "text": "How often do you feel that you lack companionship?",
                "answers": [[1, "Hardly ever or never"], [2, "Some of the time"], [3, "Often"]],
            },
            {
                "code": "left_out",
                "text": "How often do you feel left out?",
                "answers": [[1, "Hardly ever or never"], [2, "Some of the time"], [3, "Often"]],
            },
            {
                "code": "isolated",
                "text": "How often do you feel isolated from others?",
                "answers": [[1, "Hardly ever or never"], [2, "Some of the time"], [3, "Often"]],
            },
        ],
    },
    {
        "code": "ons_loneliness",
        "name": "ONS direct loneliness question",
        "short_name": "Loneliness (direct)",
        "scoring": "category",
        "higher_is_better": True,
        "requires_licence": False,
        "notice": "Source: Office for National Statistics (ONS) personal well-being questions.",
        "question": "",
        "items": [
            {
                "code": "lonely",
                "text": "How often do you feel lonely?",
                "answers": [
                    [1, "Often or always"],
                    [2, "Some of the time"],
                    [3, "Occasionally"],
                    [4, "Hardly ever"],
                    [5, "Never"],
                ],
            }
        ],
    },
]


def load(apps, schema_editor):
    Measure = apps.get_model("outcomes", "Measure")
    MeasureItem = apps.get_model("outcomes", "MeasureItem")
    for spec in BUILTIN_MEASURES:
        fields = {k: v for k, v in spec.items() if k not in ("code", "items")}
        measure, _ = Measure.objects.update_or_create(code=spec["code"], defaults=fields)
        for position, item in enumerate(spec["items"], start=1):
            values = [value for value, _label in item["answers"]]
            MeasureItem.objects.update_or_create(
                measure=measure,
                code=item["code"],
                defaults={
                    "position": position,
                    "text": item["text"],
                    "answers": item["answers"],
                    "min_value": min(values),
                    "max_value": max(values),
                },
            )


class Migration(migrations.Migration):
    dependencies = [("outcomes", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
