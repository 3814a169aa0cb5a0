#!/usr/bin/python3
"""Writes the register tiles of the direct convolution, src/Facemoji.Engine/Kernels/DirectConvTiles.cs, of
the channel-last Winograd products, ChannelLastWinogradTiles.cs, and of the channel-last (NHWC) convolution of the
TFLite interpreter, ChannelLastConvTiles.cs.

A tile computes `vectors` x `pixels` accumulators: `vectors` vectors of consecutive output channels (the lanes run
along Cout, as in MLAS's NCHWc kernels) for `pixels` consecutive output pixels of one row. Per kernel tap it loads
`vectors` weight vectors and broadcasts `pixels` input values, so every load feeds `vectors` or `pixels` FMAs and
no lane is wasted on small maps (6x6) or on the padded pitch. Each accumulator is a named local so that the JIT
holds it in a register (as the GEMM micro-kernels of tools/gen_gemm_kernels.py do). The scalar tile and everything
around the tiles (padding, packing, the tile loop, the scatter to NCHW) stay hand-written in DirectConvKernel.cs.
Run it after editing a shape:
    /usr/bin/python3 tools/gen_direct_conv_tiles.py
(--check only compares; a test runs it.) DirectConvKernel.ChannelBlock must pick the shapes listed here.
"""
import pathlib

OUTPUT = pathlib.Path(__file__).resolve().parent.parent / "src" / "Facemoji.Engine" / "Kernels" / "DirectConvTiles.cs"

TILES = [
    # vector type, lanes, vectors of output channels, pixels; registers: vectors·pixels accumulators + vectors
    # weights + 1 broadcast (32 zmm with AVX-512, 16 ymm/xmm otherwise).
    ("Vector512", 16, 4, 6),
    ("Vector512", 16, 2, 12),
    ("Vector256", 8, 2, 6),
    ("Vector128", 4, 2, 6),
]


def tile(vec, lanes, vectors, pixels):
    t = f"{vec}<float>"
    block = vectors * lanes
    L = []
    w = L.append

    def accumulate(indent, count):
        for v in range(vectors):
            w(f"{indent}var w{v} = {vec}.Load(w{'' if v == 0 else f' + {v * lanes}'});")
        for j in range(count):
            w(f"{indent}var x{j} = {vec}.Create(xk[{j}]);")
            for v in range(vectors):
                w(f"{indent}c{v}_{j} = {vec}.MultiplyAddEstimate(x{j}, w{v}, c{v}_{j});")

    def body(name, count):
        w("        [MethodImpl(MethodImplOptions.AggressiveOptimization)]")
        w(f"        public void {name}(in TileArguments a, int group, int oh, int ow0)")
        w("        {")
        for v in range(vectors):
            w(f"            {t} " + ", ".join(f"c{v}_{j} = default" for j in range(count)) + ";")
        w(f"            float* w = a.W + ((long)group * a.InChannels * a.KernelHeight * a.KernelWidth * {block});")
        w("            float* xt = a.X + (oh * a.Pitch) + ow0;")
        w("            for (int ci = 0; ci < a.InChannels; ci++)")
        w("            {")
        w("                float* xc = xt + ((long)ci * a.Plane);")
        w("                for (int kh = 0; kh < a.KernelHeight; kh++)")
        w("                {")
        w("                    float* xr = xc + (kh * a.Pitch);")
        w("                    for (int kw = 0; kw < a.KernelWidth; kw++)")
        w("                    {")
        w("                        float* xk = xr + kw;")
        accumulate("                        ", count)
        w(f"                        w += {block};")
        w("                    }")
        w("                }")
        w("            }")
        w("")
        w(f"            float* bias = a.Bias + (group * {block});")
        for v in range(vectors):
            w(f"            var b{v} = {vec}.Load(bias{'' if v == 0 else f' + {v * lanes}'});")
        w("            float* o = a.Tile;")
        for j in range(count):
            for v in range(vectors):
                w(f"            Store(c{v}_{j} + b{v}, o + {j * block + v * lanes}, a.Relu);")
        if count == 1:
            w(f"            Scatter(a, group, {block}, oh, ow0, 1);")
        else:
            # The tile's (pixels, B) buffer to y[co][oh][ow0 ..): unrolled over the pixels, one channel per pass.
            w(f"            int count = Math.Min({block}, a.OutChannels - (group * {block}));")
            w("            int plane = a.OutHeight * a.OutWidth;")
            w(f"            float* y = a.Y + ((long)group * {block} * plane) + (oh * a.OutWidth) + ow0;")
            w("            for (int c = 0; c < count; c++)")
            w("            {")
            w("                float* row = y + ((long)c * plane);")
            w("                float* t = o + c;")
            for j in range(count):
                w(f"                row[{j}] = t[{j * block}];")
            w("            }")
        w("        }")

    w(f"    private readonly struct {vec}Tile{vectors}x{pixels} : ITile")
    w("    {")
    w(f"        public int ChannelBlock => {block};")
    w("")
    w(f"        public int Pixels => {pixels};")
    w("")
    body("Run", pixels)
    w("")
    body("RunOne", 1)
    w("")
    w(f"        private static void Store({t} v, float* o, bool relu) => (relu ? {vec}.Max(v, {t}.Zero) : v).Store(o);")
    w("    }")
    return L


def generate():
    L = [
        "// <auto-generated> by tools/gen_direct_conv_tiles.py; edit the generator, not this file. </auto-generated>",
        "using System.Runtime.CompilerServices;",
        "using System.Runtime.Intrinsics;",
        "",
        "namespace Facemoji.Engine.Kernels;",
        "",
        "// The register tiles of DirectConvKernel: y[group·B .. +B)[oh][ow0 .. ow0 + P) = [relu](Σ_ci Σ_taps w · x + bias)",
        "// for B = vectors·lanes output channels and P pixels (Run) or one pixel (RunOne), in vectors·P accumulators.",
        "internal static unsafe partial class DirectConvKernel",
        "{",
    ]
    for i, shape in enumerate(TILES):
        if i > 0:
            L.append("")
        L.extend(tile(*shape))
    L.append("}")
    return "\n".join(L) + "\n"


PRODUCT_TILES = [
    # vector type, lanes, vectors of output channels, rows: the 16 products of ChannelLastWinogradKernel.
    ("Vector512", 16, 4, 6),
    ("Vector512", 16, 2, 6),
    ("Vector256", 8, 2, 6),
    ("Vector128", 4, 2, 6),
]


def product_tile(vec, lanes, vectors, rows):
    """M[t0 + j][group·B ..] = Σ_ci V[t0 + j][ci] · U[ci][group·B ..] for `rows` rows (Run), four (RunFour: the 4
    tiles of a 6x6 map in F(3x3)), half as many (RunHalf: the 9 tiles of a 6x6 map in F(2x2) are 6 + 3) or one
    (RunOne)."""
    t = f"{vec}<float>"
    block = vectors * lanes
    L = []
    w = L.append

    def body(name, count):
        w("        [MethodImpl(MethodImplOptions.AggressiveOptimization)]")
        w(f"        public void {name}(in ProductArguments a, int group, int t0)")
        w("        {")
        for v in range(vectors):
            w(f"            {t} " + ", ".join(f"c{v}_{j} = default" for j in range(count)) + ";")
        w(f"            float* w = a.U + ((long)group * a.InChannels * {block});")
        w("            float* v0 = a.V + ((long)t0 * a.VStride);")
        for j in range(1, count):
            w(f"            float* v{j} = v{j - 1} + a.VStride;")
        w("            for (int ci = 0; ci < a.InChannels; ci++)")
        w("            {")
        for v in range(vectors):
            w(f"                var w{v} = {vec}.Load(w{'' if v == 0 else f' + {v * lanes}'});")
        for j in range(count):
            w(f"                var x{j} = {vec}.Create(v{j}[ci]);")
            for v in range(vectors):
                w(f"                c{v}_{j} = {vec}.MultiplyAddEstimate(x{j}, w{v}, c{v}_{j});")
        w(f"                w += {block};")
        w("            }")
        w("")
        w(f"            float* m = a.M + ((long)t0 * a.MStride) + (group * {block});")
        for j in range(count):
            for v in range(vectors):
                off = f"{v * lanes}" if j == 0 else (f"({j} * a.MStride) + {v * lanes}" if v else f"({j} * a.MStride)")
                if j == 0 and v == 0:
                    w(f"            c{v}_{j}.Store(m);")
                else:
                    w(f"            c{v}_{j}.Store(m + {off});")
        w("        }")

    w(f"    private readonly struct {vec}Product{vectors}x{rows} : IProductTile")
    w("    {")
    w(f"        public int ChannelBlock => {block};")
    w("")
    w(f"        public int Rows => {rows};")
    w("")
    body("Run", rows)
    w("")
    body("RunFour", 4)
    w("")
    body("RunHalf", rows // 2)
    w("")
    body("RunOne", 1)
    w("    }")
    return L


def generate_products():
    L = [
        "// <auto-generated> by tools/gen_direct_conv_tiles.py; edit the generator, not this file. </auto-generated>",
        "using System.Runtime.CompilerServices;",
        "using System.Runtime.Intrinsics;",
        "",
        "namespace Facemoji.Engine.Kernels;",
        "",
        "// The register tiles of ChannelLastWinogradKernel's products: M[t0 + j][group·B .. +B) = Σ_ci V[t0 + j][ci] · U[ci][..]",
        "// for B = vectors·lanes output channels and 6 rows (Run), 4 rows (RunFour), 3 rows (RunHalf) or one row (RunOne), in",
        "// vectors·rows accumulators.",
        "internal static unsafe partial class ChannelLastWinogradKernel",
        "{",
    ]
    for i, shape in enumerate(PRODUCT_TILES):
        if i > 0:
            L.append("")
        L.extend(product_tile(*shape))
    L.append("}")
    return "\n".join(L) + "\n"


PRODUCT_OUTPUT = OUTPUT.parent / "ChannelLastWinogradTiles.cs"


CONV_TILES = [
    # vector type, lanes, vectors of output channels, pixels: ChannelLastConvKernel's tiles. Registers: vectors·pixels
    # accumulators + vectors weights + 1 broadcast (32 zmm with AVX-512, 16 ymm/xmm otherwise). ChannelLastConvKernel.Groups
    # splits the output channels into groups of these vector counts.
    ("Vector512", 16, 4, 6),
    ("Vector512", 16, 3, 8),
    ("Vector512", 16, 2, 12),
    ("Vector512", 16, 1, 12),
    ("Vector256", 8, 2, 6),
    ("Vector256", 8, 1, 12),
    ("Vector128", 4, 2, 6),
    ("Vector128", 4, 1, 12),
]


def conv_tile(vec, lanes, vectors, pixels):
    """o[j][v·lanes ..] = [relu](Σ_tap Σ_ci x_j,tap[ci] · w[tap][ci][v·lanes ..] + bias [+ residual]) for `pixels` pixels."""
    t = f"{vec}<float>"
    block = vectors * lanes
    L = []
    w = L.append

    def body(name, count):
        w("        [MethodImpl(MethodImplOptions.AggressiveOptimization)]")
        w(f"        public void {name}(in ConvTileArguments a, float** px)")
        w("        {")
        for v in range(vectors):
            w(f"            {t} " + ", ".join(f"c{v}_{j} = default" for j in range(count)) + ";")
        w("            float* wk = a.W;")
        w("            for (int tap = 0; tap < a.Taps; tap++)")
        w("            {")
        for j in range(count):
            w(f"                float* x{j} = px[{'tap * a.TableStride' if j == 0 else f'(tap * a.TableStride) + {j}'}];")
        w("                for (int ci = 0; ci < a.InChannels; ci++)")
        w("                {")
        for v in range(vectors):
            w(f"                    var w{v} = {vec}.Load(wk{'' if v == 0 else f' + {v * lanes}'});")
        for j in range(count):
            w(f"                    var b{j} = {vec}.Create(x{j}[ci]);")
            for v in range(vectors):
                w(f"                    c{v}_{j} = {vec}.MultiplyAddEstimate(b{j}, w{v}, c{v}_{j});")
        w(f"                    wk += {block};")
        w("                }")
        w("            }")
        w("")
        for v in range(vectors):
            w(f"            var bias{v} = {vec}.Load(a.Bias{'' if v == 0 else f' + {v * lanes}'});")
        for j in range(count):
            for v in range(vectors):
                w(f"            Finish(a, c{v}_{j} + bias{v}, {j}, {v});")
        w("        }")

    w(f"    private readonly struct {vec}ConvTile{vectors}x{pixels} : IConvTile")
    w("    {")
    w(f"        public int Vectors => {vectors};")
    w("")
    w(f"        public int Pixels => {pixels};")
    w("")
    body("Run", pixels)
    w("")
    body("RunOne", 1)
    w("")
    w("        // + the residual's vector where it has one, ReLU, store: pixel j, vector v of the group.")
    w("        [MethodImpl(MethodImplOptions.AggressiveInlining)]")
    w(f"        private static void Finish(in ConvTileArguments a, {t} r, int j, int v)")
    w("        {")
    w("            if (v < a.ResidualVectors)")
    w("            {")
    w(f"                r += {vec}.Load(a.Residual + (j * a.ResidualStride) + (v * {lanes}));")
    w("            }")
    w("")
    w("            if (a.Relu)")
    w("            {")
    w(f"                r = {vec}.Max(r, {t}.Zero);")
    w("            }")
    w("")
    w(f"            r.Store(a.Output + (j * a.OutputStride) + (v * {lanes}));")
    w("        }")
    w("    }")
    return L


def generate_conv():
    L = [
        "// <auto-generated> by tools/gen_direct_conv_tiles.py; edit the generator, not this file. </auto-generated>",
        "using System.Runtime.CompilerServices;",
        "using System.Runtime.Intrinsics;",
        "",
        "namespace Facemoji.Engine.Kernels;",
        "",
        "// The register tiles of ChannelLastConvKernel: for P consecutive output pixels (Run) or one (RunOne) and V vectors of",
        "// output channels, Σ over the taps and input channels of the broadcast input value times the packed weight vector,",
        "// then + bias, + the residual's vectors, ReLU, in V·P accumulators.",
        "internal static unsafe partial class ChannelLastConvKernel",
        "{",
    ]
    for i, shape in enumerate(CONV_TILES):
        if i > 0:
            L.append("")
        L.extend(conv_tile(*shape))
    L.append("}")
    return "\n".join(L) + "\n"


CONV_OUTPUT = OUTPUT.parent / "ChannelLastConvTiles.cs"


if __name__ == "__main__":
    import sys
    if "--check" in sys.argv:
        # Exit 1 when a committed file is not what this script writes (run by the Engine tests).
        sys.exit(0 if OUTPUT.read_text() == generate() and PRODUCT_OUTPUT.read_text() == generate_products() and
                 CONV_OUTPUT.read_text() == generate_conv() else 1)
    OUTPUT.write_text(generate())
    PRODUCT_OUTPUT.write_text(generate_products())
    CONV_OUTPUT.write_text(generate_conv())
