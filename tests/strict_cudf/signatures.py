"""cuDF's parameters: a call its signature would refuse raises ``StrictCudfError``."""

from __future__ import annotations


class StrictCudfError(TypeError):
    """Something real cuDF would refuse."""


def check_signature(where: str, member: dict, args: tuple, kwargs: dict) -> None:
    if member.get("params") is None:
        return
    if len(args) > member["positional"] and not member["varargs"]:
        raise StrictCudfError(f"strict cuDF: {where} takes at most {member['positional']} positional arguments "
                              f"in cuDF, got {len(args)}")
    unknown = sorted(set(kwargs) - set(member["params"]))
    if unknown and not member["varkw"]:
        raise StrictCudfError(f"strict cuDF: {where} has no keyword {', '.join(map(repr, unknown))} in cuDF")
