from __future__ import annotations

import pytest

from ladders.audit.models import AuditAction, AuditEvent
from ladders.library.models import Framework
from ladders.org.csv_import import people_import_csv
from ladders.org.errors import PeopleImportInvalid
from ladders.org.models import Person, Position, Team
from tests.org.conftest import make_person

pytestmark = pytest.mark.django_db

HEADER = "name,email,team,manager_email,track,level\n"


def errors_of(text: str, framework: Framework | None = None) -> list[str]:
    with pytest.raises(PeopleImportInvalid) as excinfo:
        people_import_csv(text=text, actor=None, framework=framework)
    return excinfo.value.errors


def test_a_good_file_adds_everyone_with_teams_managers_and_positions(starter: Framework) -> None:
    text = HEADER + (
        "Ada Report,ada@example.com,Platform,boss@example.com,engineer,IC2\n"  # manager comes later
        "The Boss,BOSS@example.com,Platform,,manager,M1\n"
        "Cy Loner,cy@example.com,Mobile,,,\n"
    )
    summary = people_import_csv(text=text, actor=None, framework=starter)
    assert (summary.created, summary.updated, summary.teams_created) == (3, 0, 2)
    assert (summary.managers_changed, summary.positions_set) == (1, 2)
    ada = Person.objects.get(email="ada@example.com")
    assert ada.manager.email == "boss@example.com" and ada.team.name == "Platform"
    assert Position.objects.get(person=ada).level_code == "IC2"
    assert not Position.objects.filter(person__email="cy@example.com").exists()
    event = AuditEvent.objects.get(action=AuditAction.PEOPLE_IMPORT)
    assert event.data["created"] == 3 and event.data["framework"] == "ladders-starter"
    assert "3 people added" in str(summary)


def test_existing_people_are_matched_by_email_and_updated_not_duplicated(
    starter: Framework,
) -> None:
    old_boss = make_person("Old Boss")
    existing = make_person("Ada Old", manager=old_boss)
    existing.email = "Ada@Example.com"
    existing.save()
    text = HEADER + "Ada New,ada@example.com,Data,old.boss@example.com,,\n"
    summary = people_import_csv(text=text, actor=None)
    assert (summary.created, summary.updated) == (0, 1)
    assert Person.objects.count() == 2
    existing.refresh_from_db()
    assert (existing.name, existing.team.name, existing.manager) == ("Ada New", "Data", old_boss)
    # Importing the same file again changes nothing.
    again = people_import_csv(text=text, actor=None)
    assert (again.created, again.updated, again.unchanged, again.teams_created) == (0, 0, 1, 0)


def test_columns_left_out_leave_those_fields_alone() -> None:
    boss = make_person("Boss")
    team = Team.objects.create(name="Keep", slug="keep")
    person = make_person("Keeper", team=team, manager=boss)
    people_import_csv(text="Email,Name\nkeeper@example.com,Keeper Renamed\n", actor=None)
    person.refresh_from_db()
    assert (person.name, person.team, person.manager) == ("Keeper Renamed", team, boss)


def test_an_empty_manager_email_clears_the_manager() -> None:
    boss = make_person("Boss")
    person = make_person("Free", manager=boss)
    people_import_csv(text="name,email,manager_email\nFree,free@example.com,\n", actor=None)
    person.refresh_from_db()
    assert person.manager is None


def test_team_matches_an_existing_team_by_name_in_any_case() -> None:
    team = Team.objects.create(name="Platform", slug="platform")
    summary = people_import_csv(
        text="name,email,team\nA,a@example.com,PLATFORM\nB,b@example.com,platform\n", actor=None
    )
    assert summary.teams_created == 0
    assert set(Person.objects.values_list("team", flat=True)) == {team.pk}


def test_one_bad_row_means_nothing_is_written(starter: Framework) -> None:
    text = HEADER + (
        "Good One,good1@example.com,New Team,,engineer,IC1\n"
        "Good Two,good2@example.com,New Team,good1@example.com,,\n"
        "Bad Three,bad3@example.com,,nobody@example.com,,\n"
    )
    errors = errors_of(text, starter)
    assert errors == [
        "row 4: manager_email nobody@example.com is not a person in this file or the organisation"
    ]
    assert (
        not Person.objects.exists() and not Team.objects.exists() and not Position.objects.exists()
    )
    assert not AuditEvent.objects.filter(action=AuditAction.PEOPLE_IMPORT).exists()


def test_every_bad_row_is_reported_by_its_number(starter: Framework) -> None:
    make_person("Already Here")
    text = HEADER + (
        "Fine,fine@example.com,,,,\n"  # row 2
        ",noname@example.com,,,,\n"  # row 3
        "No Email,,,,,\n"  # row 4
        "Bad Email,not-an-email,,,,\n"  # row 5
        "Twice,fine@example.com,,,,\n"  # row 6
        "Lost,lost@example.com,,bob@x.com,,\n"  # row 7
        "Half,half@example.com,,,engineer,\n"  # row 8
        "Wrong Track,wt@example.com,,,wizard,W1\n"  # row 9
        "Wrong Level,wl@example.com,,,engineer,IC9\n"  # row 10
        "Selfish,self@example.com,,self@example.com,,\n"  # row 11
        "Short,short@example.com\n"  # row 12
        "\n"  # row 13: blank rows are skipped
        "Known,known@example.com,,already.here@example.com,,\n"  # row 14: fine
    )
    errors = errors_of(text, starter)
    assert errors == [
        "row 3: name is empty",
        "row 4: email is empty",
        "row 5: email 'not-an-email' is not an email address",
        "row 6: email fine@example.com is also on row 2",
        "row 7: manager_email bob@x.com is not a person in this file or the organisation",
        "row 8: track is given without a level; give both or neither",
        "row 9: track 'wizard' is not in Ladders starter framework; its tracks are: engineer, manager",
        "row 10: level 'IC9' is not on track 'engineer'; its levels are: IC1, IC2, IC3, IC4, IC5, IC6",
        "row 11: manager_email self@example.com is the person's own email",
        "row 12: has 2 values but the header has 6 columns (name, email, team, manager_email, track, level)",
    ]
    assert Person.objects.count() == 1


def test_loops_among_managers_are_reported_on_each_row_in_the_loop() -> None:
    text = "name,email,manager_email\n" + (
        "A,a@example.com,b@example.com\n"
        "B,b@example.com,c@example.com\n"
        "C,c@example.com,a@example.com\n"
        "D,d@example.com,a@example.com\n"
    )
    errors = errors_of(text)
    assert errors == [
        "row 2: manager_email b@example.com makes a loop: a@example.com → b@example.com → c@example.com → a@example.com",
        "row 3: manager_email c@example.com makes a loop: b@example.com → c@example.com → a@example.com → b@example.com",
        "row 4: manager_email a@example.com makes a loop: c@example.com → a@example.com → b@example.com → c@example.com",
    ]


def test_a_loop_through_people_already_in_the_organisation_is_refused() -> None:
    top = make_person("Top")
    make_person("Under", manager=top)
    errors = errors_of("name,email,manager_email\nTop,top@example.com,under@example.com\n")
    assert errors == [
        "row 2: manager_email under@example.com makes a loop: top@example.com → under@example.com → top@example.com"
    ]


def test_a_file_can_untangle_reporting_lines_it_also_reverses() -> None:
    top = make_person("Top")
    under = make_person("Under", manager=top)
    people_import_csv(
        text="name,email,manager_email\nTop,top@example.com,under@example.com\nUnder,under@example.com,\n",
        actor=None,
    )
    top.refresh_from_db(), under.refresh_from_db()
    assert top.manager == under and under.manager is None


def test_tracks_need_a_framework() -> None:
    assert errors_of(HEADER + "A,a@example.com,,,engineer,IC1\n") == [
        "row 2: a track and level are given but no framework was chosen for them"
    ]


@pytest.mark.parametrize(
    ("text", "error"),
    [
        (
            "",
            "the file is empty; its first row must be the header, e.g. name,email,team,manager_email,track,level",
        ),
        (
            "name,email,salary\nA,a@example.com,1\n",
            "row 1: column 'salary' is not one Ladders reads; the columns are: name, email, team, manager_email, track, level",
        ),
        (
            "name,team\nA,T\n",
            "row 1: the header has no 'email' column; the columns are: name, email, team, manager_email, track, level",
        ),
        ("name,email,email\n", "row 1: column 'email' appears more than once"),
        (
            "name,email,track\n",
            "row 1: the header needs both 'track' and 'level' columns, or neither",
        ),
        ("name,email\n", "the file has a header but no people"),
    ],
)
def test_header_problems(text: str, error: str) -> None:
    assert error in errors_of(text)


def test_header_is_case_insensitive_and_a_bom_is_ignored() -> None:
    people_import_csv(text="\ufeffNAME,Email,Manager Email\nA,a@example.com,\n", actor=None)
    assert Person.objects.get().email == "a@example.com"


def test_a_position_already_held_is_not_set_again(starter: Framework) -> None:
    text = HEADER + "A,a@example.com,,,engineer,IC2\n"
    people_import_csv(text=text, actor=None, framework=starter)
    again = people_import_csv(text=text, actor=None, framework=starter)
    assert again.positions_set == 0 and Position.objects.count() == 1
