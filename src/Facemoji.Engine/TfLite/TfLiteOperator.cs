namespace Facemoji.Engine.TfLite;

/// <summary>One node of the graph: an operator, the tensors it reads and writes (indices; -1 is an absent optional input).</summary>
internal sealed record TfLiteOperator(TfLiteOperatorKind Kind, int[] Inputs, int[] Outputs, TfLiteOperatorOptions Options);
