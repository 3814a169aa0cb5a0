using Facemoji.Engine.Optim;
using Facemoji.Engine.Randomness;
using Facemoji.Engine.Tensors;

namespace Facemoji.Engine.Tests.Optim;

/// <summary>One step of a test training loop: a random batch drawn from <paramref name="random"/>, a squared loss against a fixed teacher, clipping, a step.</summary>
public static class TinyTraining
{
    public static void Step(TinyRegression model, Optimizer optimizer, SeededRandom random, double learningRate)
    {
        const int batch = 4;
        var x = new Tensor(batch, model.Inputs);
        foreach (ref float v in x.Span)
        {
            v = random.NextFloat(-1f, 1f);
        }

        var y = model.Forward(x);
        var gradY = new Tensor(batch, model.Outputs);
        for (int s = 0; s < batch; s++)
        {
            for (int o = 0; o < model.Outputs; o++)
            {
                float target = 0.3f * o - x.Data[s * model.Inputs] + 0.5f * x.Data[s * model.Inputs + (o % model.Inputs)];
                gradY.Data[s * model.Outputs + o] = 2f * (y.Data[s * model.Outputs + o] - target) / batch;
            }
        }

        optimizer.ZeroGrad();
        model.Backward(gradY);
        GradientClipping.ClipByGlobalNorm(optimizer.Parameters, 1.0);
        optimizer.LearningRate = learningRate;
        optimizer.Step();
    }
}
