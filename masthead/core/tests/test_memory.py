"""Garbage collection tuned for the server process (core/memory.py, #5)."""

from django.core.signals import request_finished

from masthead.core import memory
from masthead.core.tests.processes import run_fresh_python


def test_collector_runs_a_full_collection_every_tenth_response(monkeypatch):
    collections = []
    monkeypatch.setattr(memory.gc, "collect", lambda *args: collections.append(args))
    collector = memory.ResponseCollector(every=10)
    for _ in range(9):
        collector()
    assert collections == []
    collector()
    assert collections == [()]
    for _ in range(10):
        collector()
    assert collections == [(), ()]


def test_collector_connects_to_finished_responses():
    memory.ResponseCollector().connect()
    # disconnect() tells whether it found the receiver.
    assert request_finished.disconnect(dispatch_uid=memory.__name__)


def test_wsgi_entry_point_freezes_startup_objects_and_listens(tmp_path):
    # A process of its own: freezing this one would outlive the test.
    script = """
        import gc
        import masthead.wsgi
        from django.core.signals import request_finished
        from wagtail import hooks
        print(gc.get_freeze_count() > 100_000, hooks._searched_for_hooks)
        calls = []
        gc.collect = lambda *args: calls.append(args)
        for _ in range(10):
            request_finished.send(sender=None)
        print(calls == [()])
        """
    output = run_fresh_python(script, MASTHEAD_VAR_DIR=str(tmp_path))
    assert output.split() == ["True", "True", "True"]
