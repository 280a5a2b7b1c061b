"""Printing the `--profile` breakdown."""

from __future__ import annotations

from typing import Any

from bench.stages import STAGE_LABELS


def print_stages(stages: dict[str, float]) -> None:
    total = stages["total"]
    print(f"   stages of one GraphQL request (mean of the timed requests, {total:.2f} ms in all):")
    for stage, label in STAGE_LABELS.items():
        share = 100 * stages[stage] / total
        print(f"     {stages[stage]:7.2f} ms {share:5.1f}%  {label}")


def print_pieces(pieces: dict[str, float]) -> None:
    print("   parse + validation + cost of the viewer query, in-process (best of 7 interleaved runs × 30 calls):")
    for name, ms in pieces.items():
        print(f"     {ms:7.3f} ms  {name}")


def print_variants(variants: dict[str, float]) -> None:
    base = next(iter(variants.values()))
    print("   GraphQL req/s, request policy switched at run time (best of 4 interleaved rounds × 50):")
    for name, rps in variants.items():
        print(f"     {rps:7.1f} req/s  {rps / base:5.2f}×  {name}")


def print_execution(found: dict[str, Any]) -> None:
    print(f"   schema.execute of the viewer query in-process ({found['fields_in_result']} fields in the result):")
    print(f"     {found['schema_execute_ms']:7.3f} ms  with its 3 SELECTs")
    print(
        f"     {found['schema_execute_reads_from_memory_ms']:7.3f} ms  the same rows answered from memory "
        "(Strawberry + graphql-core alone)"
    )
    print(f"     {found['hand_built_json_same_rows_ms']:7.3f} ms  the baselines' hand-built JSON from the same rows")


def print_cprofile(found: dict[str, Any]) -> None:
    print("   cProfile, own time by area (cProfile inflates call-heavy code, e.g. the validation visitor):")
    for area, percent in found["own_time_percent_by_area"].items():
        if percent >= 0.5:
            print(f"     {percent:5.1f}%  {area}")
    print("   cProfile, top functions by own time (under the profiler):")
    for line in found["top_functions_by_own_time"]:
        print(f"     {line}")


def print_profile(profile: dict[str, Any]) -> None:
    """The breakdown gathered at the small trail."""
    print("\n-- GraphQL profile (trail of 10 entries)")
    print_stages(profile["stages_ms_per_request"])
    print_pieces(profile["parse_and_validation_ms"])
    print_variants(profile["variants_requests_per_s"])
    print_execution(profile["execution_ms"])
    print_cprofile(profile["cprofile"])
    print(f"   SQLite plan of the trail page query: {' / '.join(profile['trail_page_plan'])}")
    large = profile.get("large_trail")
    if large:
        print(
            f"   large trail: domain.trail.page {large['page_ms']:.2f} ms [{' / '.join(large['plan'])}]; "
            f"the COUNT(*) totalCount used to run: {large['count_ms']:.2f} ms (no longer on the viewer path)"
        )
