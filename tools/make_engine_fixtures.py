#!/usr/bin/python3
"""Writes the PyTorch reference fixtures the engine tests compare against (tests/Facemoji.Engine.Tests/Fixtures/*.fix).

Run with Debian's python3-torch (1.13): `make fixtures`, i.e. /usr/bin/python3 tools/make_engine_fixtures.py.
Every computation runs in float64 so the fixtures hold the exact answers; seeds are fixed, so the files are
reproducible. For a layer f and an upstream gradient dy, the gradients saved are those of sum(f(x) * dy).
"""
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fixture_io import write_fixture  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "Facemoji.Engine.Tests", "Fixtures")
torch.set_default_dtype(torch.float64)


def layer_fixture(name, module, x, extra=None):
    """Forward x through module, backward a random dy; save input, output, grads and the parameters by name."""
    x = x.clone().requires_grad_(True)
    y = module(x)
    dy = torch.randn_like(y)
    (y * dy).sum().backward()
    entries = {"x": x, "y": y, "dy": dy, "dx": x.grad}
    for pname, p in module.named_parameters():
        entries[pname] = p
        entries["grad." + pname] = p.grad
    for bname, b in module.named_buffers():
        if b.is_floating_point():
            entries["buffer." + bname] = b
    entries.update(extra or {})
    write_fixture(os.path.join(OUT, name + ".fix"), entries)


def conv_fixtures():
    configs = [
        ("conv_k3_s1_p1_bias", 2, 3, 7, 6, 4, 3, 1, 1, True),
        ("conv_k3_s2_p1", 2, 2, 9, 8, 3, 3, 2, 1, False),
        ("conv_k1_s1_p0_bias", 3, 5, 4, 5, 6, 1, 1, 0, True),
        ("conv_k5_s2_p2", 1, 2, 11, 11, 3, 5, 2, 2, False),
        ("conv_k1_s2_p0", 2, 4, 7, 7, 5, 1, 2, 0, False),
    ]
    for name, n, cin, h, w, cout, k, s, p, bias in configs:
        conv = nn.Conv2d(cin, cout, k, stride=s, padding=p, bias=bias)
        layer_fixture(name, conv, torch.randn(n, cin, h, w),
                      {"config": torch.tensor([n, cin, h, w, cout, k, s, p, int(bias)], dtype=torch.float64)})


def batchnorm_fixtures():
    bn = nn.BatchNorm2d(3)
    with torch.no_grad():
        bn.weight.copy_(torch.rand(3) + 0.5)
        bn.bias.copy_(torch.randn(3))
        bn.running_mean.copy_(torch.randn(3) * 0.1)
        bn.running_var.copy_(torch.rand(3) + 0.5)
    before_mean, before_var = bn.running_mean.clone(), bn.running_var.clone()
    bn.train()
    layer_fixture("batchnorm_train", bn, torch.randn(4, 3, 5, 3) * 2 + 1,
                  {"running_mean_before": before_mean, "running_var_before": before_var})
    bn.eval()
    bn.zero_grad()
    layer_fixture("batchnorm_eval", bn, torch.randn(2, 3, 4, 4))
    bn1 = nn.BatchNorm1d(5)
    bn1.train()
    layer_fixture("batchnorm_train_2d", bn1, torch.randn(6, 5) + 3)


def simple_fixtures():
    layer_fixture("relu", nn.ReLU(), torch.randn(2, 3, 4, 5))
    layer_fixture("elu", nn.ELU(), torch.randn(2, 3, 4, 5) * 2)
    layer_fixture("elu_alpha", nn.ELU(alpha=0.5), torch.randn(3, 7) * 2)
    for name, k, s, p, shape in [("maxpool_k2", 2, 2, 0, (2, 3, 6, 5)), ("maxpool_k3_s2_p1", 3, 2, 1, (2, 2, 7, 9)),
                                 ("maxpool_k3_s1_p1", 3, 1, 1, (1, 2, 5, 4))]:
        layer_fixture(name, nn.MaxPool2d(k, s, p), torch.randn(*shape), {"config": torch.tensor([k, s, p], dtype=torch.float64)})
    for name, k, s, p, shape in [("avgpool_k2", 2, 2, 0, (2, 3, 6, 5)), ("avgpool_k3_s2_p1", 3, 2, 1, (2, 2, 7, 9))]:
        layer_fixture(name, nn.AvgPool2d(k, s, p), torch.randn(*shape), {"config": torch.tensor([k, s, p], dtype=torch.float64)})
    layer_fixture("gap", nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten()), torch.randn(3, 4, 5, 6))
    layer_fixture("linear", nn.Linear(6, 4), torch.randn(5, 6))
    layer_fixture("flatten", nn.Flatten(), torch.randn(2, 3, 2, 2))


def cross_entropy_fixtures():
    n, c = 9, 7
    logits = torch.randn(n, c) * 2
    targets = torch.randint(0, c, (n,))
    weights = torch.rand(c) + 0.2
    entries = {"logits": logits, "targets": targets.double(), "weights": weights}
    for tag, w, eps in [("plain", None, 0.0), ("smooth", None, 0.1), ("weighted", weights, 0.0), ("weighted_smooth", weights, 0.1)]:
        z = logits.clone().requires_grad_(True)
        loss = F.cross_entropy(z, targets, weight=w, label_smoothing=eps)
        loss.backward()
        entries["loss." + tag] = loss.reshape(1)
        entries["grad." + tag] = z.grad
    entries["softmax"] = torch.softmax(logits, dim=1)
    write_fixture(os.path.join(OUT, "cross_entropy.fix"), entries)


class ConvBn(nn.Module):
    """The engine's ConvBn: conv (no bias) + BatchNorm (+ ReLU), children named conv and bn."""

    def __init__(self, cin, cout, k, stride=1, padding=0, relu=True):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, k, stride=stride, padding=padding, bias=False)
        self.bn = nn.BatchNorm2d(cout)
        self.relu = relu

    def forward(self, x):
        x = self.bn(self.conv(x))
        return F.relu(x) if self.relu else x


class ResidualBlock(nn.Module):
    def __init__(self, cin, cout, stride=1):
        super().__init__()
        self.conv1 = ConvBn(cin, cout, 3, stride, 1, True)
        self.conv2 = ConvBn(cout, cout, 3, 1, 1, False)
        self.shortcut = ConvBn(cin, cout, 1, stride, 0, False) if stride != 1 or cin != cout else None

    def forward(self, x):
        s = self.shortcut(x) if self.shortcut is not None else x
        return F.relu(self.conv2(self.conv1(x)) + s)


def small_network():
    """conv-bn-relu (fused), maxpool, conv(bias)-bn-relu (separate layers), residual (identity), residual
    (projection, stride 2), global average pool, dropout p=0, linear."""
    return nn.Sequential(
        ConvBn(1, 4, 3, 1, 1),
        nn.MaxPool2d(2),
        nn.Conv2d(4, 6, 3, padding=1),
        nn.BatchNorm2d(6),
        nn.ReLU(),
        ResidualBlock(6, 6),
        ResidualBlock(6, 8, stride=2),
        nn.AdaptiveAvgPool2d(1),
        nn.Flatten(),
        nn.Dropout(0.0),
        nn.Linear(8, 7),
    )


def network_fixture():
    net = small_network()
    with torch.no_grad():
        # Non-trivial BatchNorm affine parameters and running statistics, so that every term is exercised.
        for m in net.modules():
            if isinstance(m, nn.BatchNorm2d):
                m.weight.copy_(torch.rand_like(m.weight) + 0.5)
                m.bias.copy_(torch.randn_like(m.bias) * 0.2)
                m.running_mean.copy_(torch.randn_like(m.running_mean) * 0.1)
                m.running_var.copy_(torch.rand_like(m.running_var) + 0.5)
    entries = {}
    for name, p in net.named_parameters():
        entries["param." + name] = p.detach().clone()
    for name, b in net.named_buffers():
        if b.is_floating_point():
            entries["buffer_before." + name] = b.clone()
    x = torch.randn(4, 1, 12, 12, requires_grad=True)
    targets = torch.tensor([3, 0, 6, 3])
    weights = torch.rand(7) + 0.5
    net.train()
    logits = net(x)
    loss = F.cross_entropy(logits, targets, weight=weights, label_smoothing=0.1)
    loss.backward()
    entries.update({"x": x, "targets": targets.double(), "weights": weights, "logits": logits, "loss": loss.reshape(1), "dx": x.grad})
    for name, p in net.named_parameters():
        entries["grad." + name] = p.grad
    for name, b in net.named_buffers():
        if b.is_floating_point():
            entries["buffer_after." + name] = b
    net.eval()
    with torch.no_grad():
        entries["eval_logits"] = net(x)
    write_fixture(os.path.join(OUT, "small_network.fix"), entries)


def distillation_fixtures():
    """Knowledge distillation: T*T * KL(q || softmax(z/T)), batchmean, with q the mean of two teachers' softmax(t/T);
    and its blend (1-a)*CE(label smoothing 0.1, class weights) + a*that, as the trainer computes it."""
    g = torch.Generator().manual_seed(20261126)
    n, c = 6, 7
    logits = torch.randn(n, c, generator=g) * 3
    teachers = [torch.randn(n, c, generator=g) * 2, torch.randn(n, c, generator=g) * 2]
    targets = torch.randint(0, c, (n,), generator=g)
    weights = torch.rand(c, generator=g) + 0.2
    entries = {"logits": logits, "teacher0": teachers[0], "teacher1": teachers[1], "targets": targets.double(), "weights": weights}
    for tag, temperature in [("t1", 1.0), ("t4", 4.0), ("t2_5", 2.5)]:
        q = sum(torch.softmax(t / temperature, dim=1) for t in teachers) / len(teachers)
        z = logits.clone().requires_grad_(True)
        loss = temperature * temperature * F.kl_div(F.log_softmax(z / temperature, dim=1), q, reduction="batchmean")
        loss.backward()
        entries["q." + tag] = q
        entries["loss." + tag] = loss.reshape(1)
        entries["grad." + tag] = z.grad
    # One-hot soft targets (zeros in q) at T = 1: the KL is then the plain cross-entropy.
    onehot = F.one_hot(targets, c).double()
    z = logits.clone().requires_grad_(True)
    loss = F.kl_div(F.log_softmax(z, dim=1), onehot, reduction="batchmean")
    loss.backward()
    entries["loss.onehot"] = loss.reshape(1)
    entries["grad.onehot"] = z.grad
    for alpha in [0.0, 0.5, 0.9, 1.0]:
        temperature = 4.0
        q = sum(torch.softmax(t / temperature, dim=1) for t in teachers) / len(teachers)
        z = logits.clone().requires_grad_(True)
        hard = F.cross_entropy(z, targets, weight=weights, label_smoothing=0.1)
        soft = temperature * temperature * F.kl_div(F.log_softmax(z / temperature, dim=1), q, reduction="batchmean")
        loss = (1 - alpha) * hard + alpha * soft
        loss.backward()
        tag = "blend%g" % alpha
        entries["loss." + tag] = loss.reshape(1)
        entries["grad." + tag] = z.grad
    write_fixture(os.path.join(OUT, "distillation.fix"), entries)


def main():
    os.makedirs(OUT, exist_ok=True)
    torch.manual_seed(20261122)
    conv_fixtures()
    batchnorm_fixtures()
    simple_fixtures()
    cross_entropy_fixtures()
    network_fixture()
    distillation_fixtures()  # its own generator: the fixtures before it do not change
    total = sum(os.path.getsize(os.path.join(OUT, f)) for f in os.listdir(OUT) if f.endswith(".fix"))
    print(f"wrote fixtures to {os.path.normpath(OUT)} ({total} bytes)")


if __name__ == "__main__":
    main()
