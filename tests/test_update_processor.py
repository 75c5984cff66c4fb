"""Units: OrderedUpdateProcessor runs updates in order per key and concurrently across keys."""

from __future__ import annotations

import asyncio

from telegram import Update

from bot.updates import OrderedUpdateProcessor, ordering_key

_ids = iter(range(1, 1_000_000))


def private_message(user_id: int, text: str = "hej") -> Update:
    chat = {"id": user_id, "type": "private", "first_name": "P"}
    sender = {"id": user_id, "is_bot": False, "first_name": "P"}
    message = {"message_id": next(_ids), "date": 0, "chat": chat, "from": sender, "text": text}
    return Update.de_json({"update_id": next(_ids), "message": message}, None)


def group_callback(chat_id: int, user_id: int) -> Update:
    chat = {"id": chat_id, "type": "supergroup", "title": "G"}
    sender = {"id": user_id, "is_bot": False, "first_name": "P"}
    bot_user = {"id": 1, "is_bot": True, "first_name": "Bot"}
    message = {"message_id": 5, "date": 0, "chat": chat, "from": bot_user, "text": "x"}
    query = {"id": "q", "from": sender, "chat_instance": "c", "message": message, "data": "d"}
    return Update.de_json({"update_id": next(_ids), "callback_query": query}, None)


def test_ordering_key_is_the_group_for_group_updates_and_the_user_otherwise():
    assert ordering_key(private_message(7)) == ("user", 7)
    # A button pressed in a group is ordered with the group's other updates, not the user's.
    assert ordering_key(group_callback(-100, 7)) == ("chat", -100)
    poll_state = Update(update_id=next(_ids))  # e.g. a poll's new state: no chat, no user
    assert ordering_key(poll_state) is None
    assert ordering_key(object()) is None


class Recorder:
    """Coroutines that record when they start and end, finishing when released."""

    def __init__(self) -> None:
        self.events: list[str] = []
        self.gates: dict[str, asyncio.Event] = {}

    async def work(self, name: str, *, hold: bool = False) -> None:
        self.events.append(f"start {name}")
        if hold:
            self.gates[name] = gate = asyncio.Event()
            await gate.wait()
        else:
            await asyncio.sleep(0)
        self.events.append(f"end {name}")


async def _settle() -> None:
    for _ in range(20):
        await asyncio.sleep(0)


async def test_same_person_in_order_other_people_meanwhile():
    processor = OrderedUpdateProcessor(running_limit=8)
    rec = Recorder()
    anna1, anna2, bo = private_message(1), private_message(1), private_message(2)
    tasks = [
        asyncio.create_task(processor.process_update(anna1, rec.work("anna1", hold=True))),
        asyncio.create_task(processor.process_update(anna2, rec.work("anna2"))),
        asyncio.create_task(processor.process_update(bo, rec.work("bo"))),
    ]
    await _settle()
    # Bo's update finished while Anna's first one is still running; her second waits.
    assert rec.events == ["start anna1", "start bo", "end bo"]
    assert processor.running == 1
    rec.gates["anna1"].set()
    await asyncio.gather(*tasks)
    assert rec.events[3:] == ["end anna1", "start anna2", "end anna2"]
    assert processor.keys_waiting == 0  # the lock map is pruned


async def test_running_limit_bounds_concurrency_and_a_flood_waits_in_its_own_line():
    processor = OrderedUpdateProcessor(running_limit=2)
    rec = Recorder()

    def submit(user_id: int, name: str, hold: bool = False) -> asyncio.Task[None]:
        work = rec.work(name, hold=hold)
        return asyncio.create_task(processor.process_update(private_message(user_id), work))

    flood = [submit(1, "a0", hold=True)] + [submit(1, f"a{n}") for n in range(1, 50)]
    await _settle()
    # Anna's 49 waiting messages take no slot: Bo is handled at once.
    await asyncio.wait_for(submit(2, "b"), 1)
    holder = submit(3, "c", hold=True)
    late = submit(4, "d")
    await _settle()
    assert "start d" not in rec.events and processor.running == 2  # a0 and c hold both
    rec.gates["c"].set()
    await asyncio.wait_for(asyncio.gather(holder, late), 1)
    rec.gates["a0"].set()
    await asyncio.gather(*flood)
    anna = [e for e in rec.events if e.startswith(("start a", "end a"))]
    assert anna == [f"{what} a{n}" for n in range(50) for what in ("start", "end")]
    assert processor.keys_waiting == 0


async def test_cancelled_while_waiting_lets_the_next_one_run():
    processor = OrderedUpdateProcessor(running_limit=4)
    rec = Recorder()
    first = asyncio.create_task(
        processor.process_update(private_message(1), rec.work("1", hold=True))
    )
    second = asyncio.create_task(processor.process_update(private_message(1), rec.work("2")))
    third = asyncio.create_task(processor.process_update(private_message(1), rec.work("3")))
    await _settle()
    second.cancel()
    await _settle()
    rec.gates["1"].set()
    await asyncio.gather(first, third)
    assert second.cancelled()
    assert rec.events == ["start 1", "end 1", "start 3", "end 3"]


async def test_on_done_after_handling_but_not_after_cancellation():
    done: list[int] = []

    async def on_done(update: object) -> None:
        assert isinstance(update, Update)
        done.append(update.update_id)

    processor = OrderedUpdateProcessor(running_limit=4, on_done=on_done)
    rec = Recorder()
    handled, cancelled = private_message(1), private_message(2)
    await processor.process_update(handled, rec.work("x"))
    task = asyncio.create_task(processor.process_update(cancelled, rec.work("y", hold=True)))
    await _settle()
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    assert done == [handled.update_id]
