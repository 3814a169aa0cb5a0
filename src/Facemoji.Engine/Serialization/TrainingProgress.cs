namespace Facemoji.Engine.Serialization;

/// <summary>Where a training run stands, saved in a checkpoint next to the model and optimizer state.</summary>
public sealed record TrainingProgress
{
    /// <summary>Epochs completed.</summary>
    public int Epoch { get; init; }

    /// <summary>Optimizer steps completed (the step a stateless schedule is evaluated at next).</summary>
    public long Step { get; init; }

    /// <summary>The best validation metric so far, if any.</summary>
    public double? BestMetric { get; init; }

    /// <summary>Every SeededRandom the run draws from, by role ("shuffle", "augment"), as SeededRandom.SaveState gives it.</summary>
    public IReadOnlyDictionary<string, ulong[]> RandomStates { get; init; } = new Dictionary<string, ulong[]>();

    /// <summary>A JSON document the trainer owns (its options, history); stored as text, not interpreted here.</summary>
    public string TrainerJson { get; init; } = "{}";

    /// <summary>The first problem that makes this progress unusable, or null when it is sound.</summary>
    public string? Validate()
    {
        if (Epoch < 0 || Step < 0)
        {
            return $"negative epoch ({Epoch}) or step ({Step})";
        }

        if (RandomStates is null || TrainerJson is null)
        {
            return "the random states or trainer JSON are missing";
        }

        foreach (var (role, state) in RandomStates)
        {
            if (state is null || state.Length != 4 || state.All(w => w == 0))
            {
                return $"random state '{role}' is not four words, not all zero";
            }
        }

        return null;
    }
}
