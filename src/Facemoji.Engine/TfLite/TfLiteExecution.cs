namespace Facemoji.Engine.TfLite;

/// <summary>How a <see cref="TfLiteInterpreter"/> runs its model.</summary>
internal enum TfLiteExecution
{
    /// <summary>
    /// Channel pitches padded to whole vectors, channel-last convolutions with ADD (after a channel PAD) and RELU fused
    /// into their epilogue, the register-weight depthwise kernel.
    /// </summary>
    Optimised,

    /// <summary>Every operator on its own, tensors dense: im2col + GEMM convolutions, the row-wise depthwise kernel.</summary>
    Reference,
}
