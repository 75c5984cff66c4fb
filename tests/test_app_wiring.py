"""bot/app.py: handler groups and modules in one readable order; result handlers are
subscribed before the delivery worker starts."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest
from telegram.ext import ApplicationBuilder

import handlers
from bot import app as app_module
from bot.app import FEATURE_MODULES, HANDLER_GROUPS, NESTED_MODULES, build_application
from bot.delivery import DeliveryWorker
from bot.lifecycle import stop_application
from bot.services import alerts as alert_service
from bot.services import observation_notices as notices
from bot.services import tips as tip_service
from tests.harness import fixed_clock, make_settings


@pytest.fixture
def built(emu, tmp_path):
    return build_application(make_settings(emu, tmp_path / "wiring.db"))


def test_every_result_kind_is_subscribed_when_the_application_is_built(built):
    delivery = app_module.services_of(built).delivery
    assert not delivery.running  # nothing has started: subscriptions happen while building
    assert {
        tip_service.KIND,
        alert_service.KIND_ALERT,
        notices.KIND_COORDINATOR,
        notices.KIND_POLICE,
        notices.KIND_SUMMARY,
    } <= delivery.result_kinds


async def test_the_worker_refuses_a_subscription_once_it_runs(db):
    worker = DeliveryWorker(db, object(), fixed_clock())  # type: ignore[arg-type]

    async def on_result(row_id, ref_id, outcome) -> None: ...

    worker.register_result_handler("tip", on_result)
    await worker.start()
    try:
        with pytest.raises(RuntimeError, match="after the worker started"):
            worker.register_result_handler("alert", on_result)
    finally:
        await worker.stop()
    assert worker.result_kinds == {"tip"}


async def test_the_bot_starts_with_every_subscription_in_place(bot):
    # The start-up hooks (tip, digest and feed passes, alert reports) ran after the worker
    # started; none of them subscribes late (that would raise and fail the start).
    delivery = bot.services.delivery
    assert delivery.running and tip_service.KIND in delivery.result_kinds


def test_handler_groups_are_listed_in_the_order_they_run(built):
    numbers = [number for number, _ in HANDLER_GROUPS]
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers)
    assert set(built.handlers) == set(numbers)  # no group is used that is not listed


def test_every_handler_module_is_named_in_app_py():
    named = {handlers.tracking, handlers.guard, *FEATURE_MODULES}
    for children in NESTED_MODULES.values():
        named.update(children)
    with_register = {
        module
        for info in pkgutil.iter_modules(handlers.__path__)
        if hasattr(module := importlib.import_module(f"handlers.{info.name}"), "register")
    }
    assert with_register - named == set()


@pytest.mark.parametrize(
    ("parent", "child"), [(p, c) for p, cs in NESTED_MODULES.items() for c in cs]
)
def test_nested_modules_are_registered_by_the_module_app_py_says(parent, child):
    sources = inspect.getsource(parent.register) + inspect.getsource(
        getattr(parent, "register_fallbacks", parent.register)
    )
    short = child.__name__.rsplit(".", 1)[1]
    assert f"{short}.register(application)" in sources


async def test_lifecycle_only_runs_applications_with_the_durable_intake():
    # PTB's Updater confirms updates before they are handled; there is no second way in.
    bare = ApplicationBuilder().token("1:x").updater(None).build()
    with pytest.raises(RuntimeError, match="build_application"):
        await stop_application(bare)
