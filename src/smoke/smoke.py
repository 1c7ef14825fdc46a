# Smoke test for Python layers: run as `python3 -c <this> module...` in the runtime image with
# PYTHONPATH set as Lambda sets it. Loads each module in turn and prints one `LLR-SMOKE {json}` line per
# module, so a crash of the interpreter still shows which module caused it.
import importlib, json, sys, time
for name in sys.argv[1:]:
    loaded = name in sys.modules
    start = time.perf_counter()
    try:
        importlib.import_module(name)
        result = {"module": name, "ok": True, "alreadyLoaded": loaded}
    except BaseException as error:
        result = {"module": name, "ok": False, "error": f"{type(error).__name__}: {error}"}
    result["ms"] = round((time.perf_counter() - start) * 1000, 1)
    print("LLR-SMOKE " + json.dumps(result), flush=True)
