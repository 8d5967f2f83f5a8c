#!/usr/bin/env python3
"""The AU model (IResNet + Coordinate Attention + FPN + SSH + fusion FC + AU head) in Python,
mirroring src/model/au_net.cpp, for the C++/Python speed comparison (and a parameter-count
cross-check). The backbone comes from iresnet_reference.py."""
import os
import sys

import torch
import torch.nn.functional as F
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from iresnet_reference import LAYERS, IResNet  # noqa: E402


class CoordAtt(nn.Module):
    def __init__(self, c, reduction=32):
        super().__init__()
        mip = max(8, c // reduction)
        self.conv1 = nn.Conv2d(c, mip, 1)
        self.bn1 = nn.BatchNorm2d(mip)
        self.conv_h = nn.Conv2d(mip, c, 1)
        self.conv_w = nn.Conv2d(mip, c, 1)

    def forward(self, x):
        h, w = x.shape[2], x.shape[3]
        y = torch.cat([x.mean(3, keepdim=True), x.mean(2, keepdim=True).permute(0, 1, 3, 2)], 2)
        y = self.bn1(self.conv1(y))
        y = y * F.relu6(y + 3) / 6
        a_h, a_w = torch.split(y, [h, w], 2)
        return x * torch.sigmoid(self.conv_w(a_w.permute(0, 1, 3, 2))) * torch.sigmoid(self.conv_h(a_h))


def conv_bn(i, o, k, slope):
    layers = [nn.Conv2d(i, o, k, padding=k // 2, bias=False), nn.BatchNorm2d(o)]
    if slope is not None:
        layers.append(nn.LeakyReLU(slope))
    return nn.Sequential(*layers)


class FPN(nn.Module):
    def __init__(self, ins, w):
        super().__init__()
        s = 0.1 if w <= 64 else 0.0
        self.output1, self.output2, self.output3 = (conv_bn(c, w, 1, s) for c in ins)
        self.merge1, self.merge2 = conv_bn(w, w, 3, s), conv_bn(w, w, 3, s)

    def forward(self, a, b, c):
        o1, o2, o3 = self.output1(a), self.output2(b), self.output3(c)
        o2 = self.merge2(o2 + F.interpolate(o3, size=o2.shape[2:], mode="nearest"))
        o1 = self.merge1(o1 + F.interpolate(o2, size=o1.shape[2:], mode="nearest"))
        return [o1, o2, o3]


class SSH(nn.Module):
    def __init__(self, i, w):
        super().__init__()
        s = 0.1 if w <= 64 else 0.0
        self.conv3X3 = conv_bn(i, w // 2, 3, None)
        self.conv5X5_1 = conv_bn(i, w // 4, 3, s)
        self.conv5X5_2 = conv_bn(w // 4, w // 4, 3, None)
        self.conv7X7_2 = conv_bn(w // 4, w // 4, 3, s)
        self.conv7x7_3 = conv_bn(w // 4, w // 4, 3, None)

    def forward(self, x):
        shared = self.conv5X5_1(x)
        return F.relu(torch.cat([self.conv3X3(x), self.conv5X5_2(shared), self.conv7x7_3(self.conv7X7_2(shared))], 1))


class AuNet(nn.Module):
    """Defaults of ModelOptions: FPN width 64, pool 7, CA after stages 1 and 4, dropout 0.6."""

    def __init__(self, depth=100, width=64, pool=7, num_aus=12):
        super().__init__()
        self.backbone = IResNet(LAYERS[depth])
        for name in ["bn2", "dropout", "fc", "features"]:  # the FPN replaces the face head
            delattr(self.backbone, name)
        self.ca_shallow, self.ca_deep = CoordAtt(64), CoordAtt(512)
        self.fpn = FPN([128, 256, 512], width)
        self.ssh1, self.ssh2, self.ssh3 = SSH(width, width), SSH(width, width), SSH(width, width)
        self.pool = pool
        self.fusion_fc = nn.Linear(3 * width * pool * pool, 512)
        self.fusion_bn = nn.BatchNorm1d(512)
        self.dropout = nn.Dropout(0.6)
        self.au_head = nn.Linear(512, num_aus)

    def forward(self, x):
        b = self.backbone
        x = b.prelu(b.bn1(b.conv1(x)))
        s1 = self.ca_shallow(b.layer1(x))
        s2 = b.layer2(s1)
        s3 = b.layer3(s2)
        s4 = self.ca_deep(b.layer4(s3))
        levels = [ssh(level) for ssh, level in zip([self.ssh1, self.ssh2, self.ssh3], self.fpn(s2, s3, s4))]
        flat = [torch.flatten(F.adaptive_avg_pool2d(l, self.pool) if l.shape[2] > self.pool else l, 1) for l in levels]
        return self.au_head(self.dropout(self.fusion_bn(self.fusion_fc(torch.cat(flat, 1)))))
