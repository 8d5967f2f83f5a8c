#!/usr/bin/env python3
"""An independent Python reference of insightface's IResNet (arcface_torch backbones/iresnet.py),
written from its published structure, to check the C++ model: same module names and nesting,
same parameter count, same features for the same weights and input.

  iresnet_reference.py count --depth 100        prints parameters and state_dict entries
  iresnet_reference.py export OUT --depth 18    writes OUT.safetensors (random weights, random
                                                 BN statistics), OUT.input.safetensors,
                                                 OUT.features.safetensors (eval-mode output),
                                                 OUT.pt (a plain dict) and OUT.pth (the
                                                 OrderedDict insightface publishes)
"""
import argparse
import sys

import torch
from torch import nn

LAYERS = {18: [2, 2, 2, 2], 34: [3, 4, 6, 3], 50: [3, 4, 14, 3], 100: [3, 13, 30, 3], 200: [6, 26, 60, 6]}


class IBasicBlock(nn.Module):
    def __init__(self, inplanes, planes, stride=1, downsample=None):
        super().__init__()
        self.bn1 = nn.BatchNorm2d(inplanes, eps=1e-05)
        self.conv1 = nn.Conv2d(inplanes, planes, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes, eps=1e-05)
        self.prelu = nn.PReLU(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, stride, 1, bias=False)
        self.bn3 = nn.BatchNorm2d(planes, eps=1e-05)
        self.downsample = downsample

    def forward(self, x):
        identity = x
        out = self.bn3(self.conv2(self.prelu(self.bn2(self.conv1(self.bn1(x))))))
        if self.downsample is not None:
            identity = self.downsample(x)
        return out + identity


class IResNet(nn.Module):
    def __init__(self, layers, dropout=0.0, num_features=512):
        super().__init__()
        self.inplanes = 64
        self.conv1 = nn.Conv2d(3, 64, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(64, eps=1e-05)
        self.prelu = nn.PReLU(64)
        self.layer1 = self._make_layer(64, layers[0])
        self.layer2 = self._make_layer(128, layers[1])
        self.layer3 = self._make_layer(256, layers[2])
        self.layer4 = self._make_layer(512, layers[3])
        self.bn2 = nn.BatchNorm2d(512, eps=1e-05)
        self.dropout = nn.Dropout(p=dropout, inplace=True)
        self.fc = nn.Linear(512 * 7 * 7, num_features)
        self.features = nn.BatchNorm1d(num_features, eps=1e-05)
        nn.init.constant_(self.features.weight, 1.0)
        self.features.weight.requires_grad = False

    def _make_layer(self, planes, blocks):
        downsample = nn.Sequential(nn.Conv2d(self.inplanes, planes, 1, 2, bias=False),
                                   nn.BatchNorm2d(planes, eps=1e-05))
        layers = [IBasicBlock(self.inplanes, planes, 2, downsample)]
        self.inplanes = planes
        layers += [IBasicBlock(planes, planes) for _ in range(1, blocks)]
        return nn.Sequential(*layers)

    def forward(self, x):
        x = self.prelu(self.bn1(self.conv1(x)))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        x = torch.flatten(self.bn2(x), 1)
        return self.features(self.fc(self.dropout(x)))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["count", "export"])
    parser.add_argument("out", nargs="?")
    parser.add_argument("--depth", type=int, default=100)
    parser.add_argument("--fp16", action="store_true", help="export the weights as float16")
    args = parser.parse_args()
    torch.manual_seed(0)
    model = IResNet(LAYERS[args.depth])
    if args.command == "count":
        print(sum(p.numel() for p in model.parameters()), len(model.state_dict()))
        return 0
    # Random but sane weights and BN statistics, so eval-mode outputs are a meaningful check.
    with torch.no_grad():
        for name, t in model.state_dict().items():
            if name.endswith("running_mean"):
                t.copy_(torch.randn_like(t) * 0.1)
            elif name.endswith("running_var"):
                t.copy_(torch.rand_like(t) * 0.5 + 0.75)
            elif name.endswith("num_batches_tracked"):
                t.fill_(7)
            elif "bn" in name or "features" in name or "downsample.1" in name:
                t.copy_(torch.randn_like(t) * 0.1 + (1.0 if name.endswith("weight") else 0.0))
        if args.fp16:
            model = model.half().float()  # what the file will hold
    model.eval()
    x = torch.rand(2, 3, 112, 112) * 2 - 1
    with torch.no_grad():
        y = model(x)
    state = model.state_dict()
    if args.fp16:
        state = {k: (v.half() if v.is_floating_point() else v) for k, v in state.items()}
    # Imported here: the model classes must load where only torch is installed (the GPU peers).
    from safetensors.torch import save_file
    save_file({k: v.contiguous() for k, v in state.items()}, args.out + ".safetensors")
    save_file({"input": x}, args.out + ".input.safetensors")
    save_file({"features": y}, args.out + ".features.safetensors")
    torch.save({k: v for k, v in state.items()}, args.out + ".pt")  # a plain dict, for pickle_load
    torch.save(state, args.out + ".pth")  # an OrderedDict, as insightface's backbone.pth
    print(f"wrote {args.out}.* ({len(state)} tensors)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
