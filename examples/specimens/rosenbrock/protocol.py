"""Gradient descent on the Rosenbrock function, one run per step size.

f(x, y) = (a - x)^2 + b (y - x^2)^2, with a = 1, b = 100: a long, curved, flat-bottomed
valley whose minimum f = 0 sits at (1, 1). Plain gradient descent crawls along the valley;
too large a step diverges. Each run logs, every `log_every` iterations: the loss, the
distance to the minimum, the gradient norm and the position.

Params (SPECIMEN_PARAMS, all optional): step (0.001), steps (5000), x0 (-1.5), y0 (2.0),
momentum (0.0), log_every (25), a (1.0), b (100.0).
Pure Python standard library; started by `specimen run` in this folder.
"""
import json
import math
import os
import sys

params = json.loads(os.environ.get("SPECIMEN_PARAMS") or "{}")
step = float(params.get("step", 0.001))
steps = int(params.get("steps", 5000))
x, y = float(params.get("x0", -1.5)), float(params.get("y0", 2.0))
momentum = float(params.get("momentum", 0.0))
log_every = max(1, int(params.get("log_every", 25)))
a, b = float(params.get("a", 1.0)), float(params.get("b", 100.0))


def loss(x, y):
    return (a - x) ** 2 + b * (y - x * x) ** 2


def gradient(x, y):
    return -2 * (a - x) - 4 * b * x * (y - x * x), 2 * b * (y - x * x)


metrics_path = os.environ.get("SPECIMEN_METRICS")
if not metrics_path:
    sys.exit("protocol.py: SPECIMEN_METRICS is not set; start it with `specimen run rosenbrock`")

print(f"gradient descent: step={step} momentum={momentum} steps={steps} from ({x}, {y})")
vx = vy = 0.0
diverged = False
with open(metrics_path, "a") as metrics:
    for i in range(steps + 1):
        gx, gy = gradient(x, y)
        f = loss(x, y)
        if not math.isfinite(f) or f > 1e12:
            diverged = True
        if i % log_every == 0 or i == steps or diverged:
            row = {
                "step": i,
                "loss": f if math.isfinite(f) else None,
                "distance": math.hypot(x - a, y - a * a) if math.isfinite(f) else None,
                "grad_norm": math.hypot(gx, gy) if math.isfinite(f) else None,
                "x": x if math.isfinite(x) else None,
                "y": y if math.isfinite(y) else None,
            }
            metrics.write(json.dumps(row) + "\n")
        if diverged:
            break
        vx, vy = momentum * vx - step * gx, momentum * vy - step * gy
        x, y = x + vx, y + vy
    metrics.flush()

if diverged:
    print(f"diverged at iteration {i}: try a smaller step", file=sys.stderr)
    sys.exit(3)
print(f"finished: f({x:.6f}, {y:.6f}) = {loss(x, y):.3e} after {steps} steps")
