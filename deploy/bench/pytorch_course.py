#!/usr/bin/env python3
"""PyTorch peers of the course benchmark models, layer for layer as cnnspark's presets (Keras initializers do not
matter for speed): cifar_gmp (the CIFAR-10 CNN with GlobalMaxPooling2D, 179,306 params), imdb_conv1d (Embedding
10000x128 over 500 tokens, Conv1D 32x7, MaxPooling1D 5, Conv1D 32x7, GlobalMaxPooling1D, Dense 1: 1,315,937 params,
binary cross-entropy on the clipped linear output as Keras computes it) and mobilenet_block (one MobileNet v1
depthwise-separable block at 56x56x128, then global average pooling and a 10-way softmax). Synthetic inputs of each
model's shape, Adadelta (lr 1.0, rho 0.95, eps 1e-7), --warmup untimed steps, then --steps timed ones; prints one
JSON line in `cnnspark bench`'s vocabulary.

  /usr/bin/python3 deploy/bench/pytorch_course.py --model imdb_conv1d --threads 2 --warmup 5 --steps 20
"""
import argparse
import json
import os
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class CifarGmp(nn.Module):
    def __init__(self):
        super().__init__()
        self.c = nn.ModuleList([nn.Conv2d(3, 32, 3), nn.Conv2d(32, 32, 3), nn.Conv2d(32, 64, 3),
                                nn.Conv2d(64, 64, 3), nn.Conv2d(64, 64, 3)])
        self.fc1 = nn.Linear(64, 1024)
        self.fc2 = nn.Linear(1024, 10)

    def forward(self, x):
        x = F.relu(self.c[1](F.relu(self.c[0](x))))
        x = F.max_pool2d(x, 2)
        x = F.relu(self.c[3](F.relu(self.c[2](x))))
        x = F.max_pool2d(x, 2)
        x = F.relu(self.c[4](x))
        x = torch.amax(x, dim=(2, 3))
        return self.fc2(F.relu(self.fc1(x)))


class ImdbConv1d(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(10000, 128)
        self.c1 = nn.Conv1d(128, 32, 7)
        self.c2 = nn.Conv1d(32, 32, 7)
        self.fc = nn.Linear(32, 1)

    def forward(self, x):
        x = self.emb(x).transpose(1, 2)
        x = F.max_pool1d(F.relu(self.c1(x)), 5)
        x = F.relu(self.c2(x))
        return self.fc(torch.amax(x, dim=2))


class MobileNetBlock(nn.Module):
    def __init__(self):
        super().__init__()
        self.dw = nn.Conv2d(128, 128, 3, padding=1, groups=128, bias=False)
        self.bn1 = nn.BatchNorm2d(128, eps=1e-3, momentum=0.01)
        self.pw = nn.Conv2d(128, 128, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(128, eps=1e-3, momentum=0.01)
        self.fc = nn.Linear(128, 10)

    def forward(self, x):
        x = F.relu6(self.bn1(self.dw(x)))
        x = F.relu6(self.bn2(self.pw(x)))
        return self.fc(x.mean(dim=(2, 3)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", choices=["cifar_gmp", "imdb_conv1d", "mobilenet_block"], required=True)
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--warmup", type=int, default=5)
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--device", default="cpu")
    a = ap.parse_args()
    torch.manual_seed(1)
    torch.set_num_threads(a.threads)
    device = torch.device(a.device)
    n = a.batch
    if a.model == "cifar_gmp":
        model, x = CifarGmp(), torch.rand(4 * n, 3, 32, 32)
        y = torch.randint(0, 10, (4 * n,))
    elif a.model == "imdb_conv1d":
        model, x = ImdbConv1d(), torch.randint(0, 10000, (4 * n, 500))
        y = torch.randint(0, 2, (4 * n, 1)).float()
    else:
        model, x = MobileNetBlock(), torch.rand(4 * n, 128, 56, 56)
        y = torch.randint(0, 10, (4 * n,))
    model, x, y = model.to(device), x.to(device), y.to(device)
    opt = torch.optim.Adadelta(model.parameters(), lr=1.0, rho=0.95, eps=1e-7)

    def loss_of(out, target):
        if a.model == "imdb_conv1d":  # Keras: a linear output clipped to [eps, 1 - eps] and taken as a probability
            return F.binary_cross_entropy(out.clamp(1e-7, 1 - 1e-7), target)
        return F.cross_entropy(out, target)

    model.train()
    for step in range(a.warmup + a.steps):
        if step == a.warmup:
            if device.type == "cuda":
                torch.cuda.synchronize(device)
            t0 = time.perf_counter()
        i = (step * n) % (len(x) - n + 1)
        opt.zero_grad()
        loss_of(model(x[i:i + n]), y[i:i + n]).backward()
        opt.step()
    if device.type == "cuda":
        torch.cuda.synchronize(device)
    dt = time.perf_counter() - t0
    print(json.dumps({"bench": "peer_train", "peer": "pytorch", "version": torch.__version__, "model": a.model,
                      "device": str(device), "batch": n, "threads": a.threads, "steps": a.steps,
                      "params": sum(p.numel() for p in model.parameters()),
                      "samples_per_s": round(a.steps * n / dt, 1)}), flush=True)


if __name__ == "__main__":
    main()
