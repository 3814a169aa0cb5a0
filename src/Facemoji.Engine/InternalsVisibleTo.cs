using System.Runtime.CompilerServices;

// Tests reach internal seams (e.g. Gemm.SplitGrid) instead of widening the public API for them.
[assembly: InternalsVisibleTo("Facemoji.Engine.Tests")]
