using Facemoji.Engine.Randomness;

namespace Facemoji.Engine.Modules;

/// <summary>PyTorch's default initialisation of nn.Conv2d and nn.Linear.</summary>
internal static class Init
{
    /// <summary>
    /// kaiming_uniform_(a=√5) as nn.Conv2d/nn.Linear.reset_parameters use it: gain √(2/(1+5)), bound
    /// gain·√3/√fan_in = 1/√fan_in; biases get the same bound. Values are drawn in storage order.
    /// </summary>
    public static void DefaultUniform(Span<float> values, int fanIn, SeededRandom rng)
    {
        float bound = 1f / MathF.Sqrt(fanIn);
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = rng.NextFloat(-bound, bound);
        }
    }
}
