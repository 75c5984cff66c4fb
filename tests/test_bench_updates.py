"""bench.updates compares the two bots pair by pair, both measured the same way."""

from bench.updates import Figures, pair_ratios


def test_pair_ratios_compare_each_round_with_its_own_bare_round():
    bare = [Figures(100, 1.0, 0.2), Figures(100, 2.0, 0.4)]  # a loaded second round
    ours = [Figures(100, 1.25, 0.25), Figures(100, 2.5, 0.5)]
    throughput, cpu = pair_ratios(bare, ours)
    assert throughput == [0.8, 0.8]  # each pair alike, though the rounds differ twofold
    assert cpu == [0.8, 0.8]  # bare's CPU / grannvakt's: above 1 when grannvakt does better


def test_the_instruction_count_refuses_an_unknown_bot_in_one_line():
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "bench.updates_instructions", "--bots", "bare,nope"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode != 0
    assert done.stderr.strip().splitlines() == [
        "bench.updates_instructions: bots are bare, bare-html, grannvakt; users and per-user >= 1"
    ]
