#!/usr/bin/env python3
"""PyTorch peer of cnnspark's model (a) (Keras' mnist_cnn): same layers, Keras initializers (Glorot uniform,
zero biases), Keras optimizer defaults, batch 128, reshuffled each epoch. Prints one JSON line per epoch and one
for the whole run, in the same vocabulary as `cnnspark bench` (samples_per_s, test accuracy).

  python3 deploy/bench/pytorch_mnist_cnn.py --data ../shared/data/mnist --optimizer adam --epochs 1
  python3 deploy/bench/pytorch_mnist_cnn.py --device cuda --speed --optimizer adadelta --warmup 30 --steps 200

On a GPU (--device cuda) the data lives on the device, TF32 is off (fp32 as the issue's figures) and cuDNN picks
its algorithms (benchmark mode); timed steps end with a device synchronize.
"""
import argparse
import gzip
import json
import os
import struct
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic = struct.unpack(">I", data[:4])[0]
    rank = magic & 0xFF
    dims = struct.unpack(">" + "I" * rank, data[4:4 + 4 * rank])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank).reshape(dims)


def load(data_dir):
    def part(images, labels):
        x = read_idx(os.path.join(data_dir, images)).astype(np.float32)[:, None, :, :] / 255.0
        y = read_idx(os.path.join(data_dir, labels)).astype(np.int64)
        return torch.from_numpy(x), torch.from_numpy(y)
    return (part("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"),
            part("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"))


class TinyCnn(nn.Module):
    """cnnspark's tiny_cnn: conv 8x3x3 relu -> max-pool 2 -> dense 10."""
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 8, 3)
        self.fc = nn.Linear(8 * 13 * 13, 10)
        for m in (self.conv, self.fc):
            nn.init.xavier_uniform_(m.weight)
            nn.init.zeros_(m.bias)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv(x)), 2)
        return self.fc(torch.flatten(x, 1))


class MnistCnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 32, 3)
        self.conv2 = nn.Conv2d(32, 64, 3)
        self.fc1 = nn.Linear(9216, 128)
        self.fc2 = nn.Linear(128, 10)
        for m in (self.conv1, self.conv2, self.fc1, self.fc2):
            nn.init.xavier_uniform_(m.weight)  # Keras' glorot_uniform (same fan-in/fan-out for conv)
            nn.init.zeros_(m.bias)

    def forward(self, x):
        x = F.relu(self.conv1(x))
        x = F.relu(self.conv2(x))
        x = F.max_pool2d(x, 2)
        x = F.dropout(x, 0.25, self.training)
        x = torch.flatten(x, 1)
        x = F.relu(self.fc1(x))
        x = F.dropout(x, 0.5, self.training)
        return self.fc2(x)  # logits; cross_entropy fuses the softmax, as Keras does


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="../shared/data/mnist")
    ap.add_argument("--optimizer", choices=["adam", "adadelta"], default="adam")
    ap.add_argument("--epochs", type=int, default=1)
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--max-steps", type=int, default=0, help="stop each epoch after N steps (speed runs)")
    ap.add_argument("--model", choices=["mnist_cnn", "tiny_cnn"], default="mnist_cnn")
    ap.add_argument("--speed", action="store_true",
                    help="throughput only: --warmup steps, then --steps timed steps; no evaluation")
    ap.add_argument("--warmup", type=int, default=15)
    ap.add_argument("--steps", type=int, default=40)
    ap.add_argument("--device", default="cpu", help="cpu or cuda[:N]")
    a = ap.parse_args()
    torch.manual_seed(a.seed)
    torch.set_num_threads(a.threads)
    device = torch.device(a.device)
    if device.type == "cuda":
        if not torch.cuda.is_available():
            raise SystemExit("--device cuda: this PyTorch sees no CUDA device")
        torch.backends.cuda.matmul.allow_tf32 = False
        torch.backends.cudnn.allow_tf32 = False
        torch.backends.cudnn.benchmark = True
    (xtr, ytr), (xte, yte) = load(a.data)
    xtr, ytr, xte, yte = xtr.to(device), ytr.to(device), xte.to(device), yte.to(device)
    model = (MnistCnn() if a.model == "mnist_cnn" else TinyCnn()).to(device)

    def sync():
        if device.type == "cuda":
            torch.cuda.synchronize(device)
    if a.optimizer == "adam":
        opt = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
    else:
        opt = torch.optim.Adadelta(model.parameters(), lr=1.0, rho=0.95, eps=1e-7)
    if a.speed:
        model.train()
        n = a.batch
        for step in range(a.warmup + a.steps):
            if step == a.warmup:
                sync()
                t0 = time.perf_counter()
            i = (step * n) % (len(xtr) - n)
            opt.zero_grad()
            F.cross_entropy(model(xtr[i:i + n]), ytr[i:i + n]).backward()
            opt.step()
        sync()
        dt = time.perf_counter() - t0
        print(json.dumps({"bench": "peer_train", "peer": "pytorch", "version": torch.__version__, "model": a.model,
                          "device": str(device), "batch": n, "threads": a.threads, "steps": a.steps,
                          "samples_per_s": round(a.steps * n / dt, 1)}), flush=True)
        return
    total_samples, total_time = 0, 0.0
    for epoch in range(a.epochs):
        model.train()
        perm = torch.randperm(len(xtr)).to(device)
        sync()
        t0 = time.perf_counter()
        seen = 0
        for step, i in enumerate(range(0, len(xtr), a.batch)):
            if a.max_steps and step >= a.max_steps:
                break
            idx = perm[i:i + a.batch]
            opt.zero_grad()
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
            loss.backward()
            opt.step()
            seen += len(idx)
        sync()
        dt = time.perf_counter() - t0
        total_samples += seen
        total_time += dt
        model.eval()
        with torch.no_grad():
            correct = sum((model(xte[j:j + 1000]).argmax(1) == yte[j:j + 1000]).sum().item()
                          for j in range(0, len(xte), 1000))
        print(json.dumps({"bench": "peer_epoch", "peer": "pytorch", "version": torch.__version__, "epoch": epoch + 1,
                          "optimizer": a.optimizer, "batch": a.batch, "threads": a.threads, "samples": seen,
                          "seconds": round(dt, 3), "samples_per_s": round(seen / dt, 1),
                          "test_accuracy": correct / len(xte)}), flush=True)
    print(json.dumps({"bench": "peer_train", "peer": "pytorch", "model": "mnist_cnn", "batch": a.batch,
                      "threads": a.threads, "samples_per_s": round(total_samples / total_time, 1)}), flush=True)


if __name__ == "__main__":
    main()
