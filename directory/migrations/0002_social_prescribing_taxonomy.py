"""Every deployment starts with the social prescribing vocabularies.

Frozen: the vocabularies and the id scheme are copied here as they were when this
migration was written, so later changes to directory/taxonomy.py cannot change what this
step does on a new database (``taxonomy_ensure`` adds later terms at run time). The ids
must stay as they are: ORUK consumers filter by them across deployments.
"""

import uuid

from django.db import migrations

SOCIALRX_NAMESPACE = uuid.UUID("5b0f6a36-3a55-4b9e-9f39-6f1d4d6c2a10")

TAXONOMIES = {
    "social-prescribing-category": [
        "Social prescribing categories",
        "What a service offers, in the terms link workers use to match people to support.",
    ],
    "who-it-is-for": [
        "Who it is for",
        "Groups a service is designed for. Services may still welcome anyone.",
    ],
}

TERMS = {
    "social-prescribing-category": [
        ["befriending", "Social connection and befriending", "Company, friendship and groups."],
        ["arts", "Arts and culture", "Creative activities, music, museums and heritage."],
        ["physical-activity", "Physical activity", "Walking, sport, dance and movement."],
        ["green", "Green and nature", "Gardening, conservation and time outdoors."],
        ["mental-wellbeing", "Mental wellbeing", "Peer support, talking and coping skills."],
        ["money", "Money and benefits advice", "Benefits, debt, budgeting and grants."],
        ["housing", "Housing", "Housing advice, tenancy support and homelessness."],
        ["employment", "Employment and volunteering", "Work, training and volunteering."],
        ["carers", "Carers' support", "Support for unpaid carers."],
        ["dementia", "Dementia support", "For people living with dementia and families."],
        [
            "self-management",
            "Long-term condition self-management",
            "Living well with long-term conditions.",
        ],
        ["weight", "Weight management", "Support to reach a healthier weight."],
        ["healthy-eating", "Healthy eating", "Cooking, food and nutrition."],
        ["food", "Food support", "Food banks, pantries and community meals."],
        ["bereavement", "Bereavement", "Support after someone has died."],
        ["domestic-abuse", "Domestic abuse support", "Safety, advice and recovery."],
        ["learning", "Learning and skills", "Courses, literacy and lifelong learning."],
        ["digital", "Digital inclusion", "Devices, data and help getting online."],
    ],
    "who-it-is-for": [
        ["carers", "Carers", "Unpaid carers of any age."],
        ["dementia", "People with dementia", "People living with dementia."],
        ["older-people", "Older people", "People aged 65 and over."],
        ["young-people", "Young people", "People aged 11 to 25."],
        ["lgbtq", "LGBTQ+ people", "Lesbian, gay, bisexual, trans and queer people."],
        [
            "ethnic-minority-faith",
            "Ethnic minority and faith communities",
            "Communities of a shared heritage or faith.",
        ],
        [
            "learning-disabilities",
            "People with learning disabilities",
            "People with a learning disability and their families.",
        ],
        ["men", "Men", "Services designed for men."],
        ["women", "Women", "Services designed for women."],
        ["veterans", "Veterans", "People who served in the armed forces."],
        ["long-term-conditions", "People with long-term conditions", "Any long-term condition."],
        ["new-parents", "New parents", "Parents of babies and young children."],
        ["refugees", "Refugees and people seeking asylum", "People new to the UK."],
    ],
}


def forwards(apps, schema_editor):
    Taxonomy = apps.get_model("directory", "Taxonomy")
    TaxonomyTerm = apps.get_model("directory", "TaxonomyTerm")
    for code, (name, description) in TAXONOMIES.items():
        taxonomy, _ = Taxonomy.objects.get_or_create(
            id=uuid.uuid5(SOCIALRX_NAMESPACE, f"taxonomy:{code}"),
            defaults={"code": code, "name": name, "description": description},
        )
        for term, term_name, term_description in TERMS[code]:
            TaxonomyTerm.objects.get_or_create(
                id=uuid.uuid5(SOCIALRX_NAMESPACE, f"term:{code}:{term}"),
                defaults={
                    "taxonomy": taxonomy,
                    "term": term,
                    "name": term_name,
                    "description": term_description,
                },
            )


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
