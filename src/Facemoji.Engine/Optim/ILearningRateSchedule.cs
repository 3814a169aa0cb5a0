namespace Facemoji.Engine.Optim;

/// <summary>A schedule that is a pure function of the optimizer step, so that resuming needs only the step number.</summary>
public interface ILearningRateSchedule
{
    /// <summary>The learning rate for the given 0-based optimizer step (the value PyTorch's scheduler holds after <c>step</c> calls).</summary>
    double LearningRateAt(long step);
}
