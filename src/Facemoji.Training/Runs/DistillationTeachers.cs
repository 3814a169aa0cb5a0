using Facemoji.Engine;
using Facemoji.Engine.Modules;
using Facemoji.Engine.Serialization;
using Facemoji.Engine.Tensors;
using Facemoji.Expressions;
using Facemoji.Training.Augmentation;
using Facemoji.Training.Data;

namespace Facemoji.Training.Runs;

/// <summary>
/// The teachers of a distilled run (--teacher, Hinton et al. 2015): trained model files, each built as its own
/// network in evaluation mode (batch-norm running statistics, no dropout, never a gradient). For every training
/// batch they see the student's very input, after augmentation and mixup or CutMix, and their softened
/// probabilities softmax(logits/T), averaged over the teachers, are the soft targets of
/// (1−α)·hard loss + α·T²·KL(soft targets ‖ softmax(student logits/T)).
/// A teacher may be any architecture; its classes, input size and normalisation must be the run's.
/// </summary>
internal sealed class DistillationTeachers
{
    private readonly Module[] teachers;
    private readonly DistillationLoss loss;
    private Tensor? softTargets;

    public DistillationTeachers(TrainingOptions options)
    {
        var loaded = options.Teachers!.Select(path => Load(path, options.Normalization)).ToArray();
        teachers = loaded.Select(t => t.Network).ToArray();
        Files = loaded.Select(t => t.File).ToList();
        loss = new DistillationLoss((float)options.DistillationTemperature, (float)options.DistillationWeight);
    }

    public int Count => teachers.Length;

    /// <summary>The teacher files with the SHA-256 of the bytes each network was built from, as the checkpoint and the model file record them.</summary>
    public List<TeacherFile> Files { get; }

    /// <summary>
    /// Runs every teacher on <paramref name="input"/> and keeps the mean of their softmax(logits/T). Called before
    /// the student's forward pass, so that the student's cached activations are its own batch's whatever the teachers do.
    /// </summary>
    // input (N,1,48,48) -> soft targets (N,C) kept
    public void SeeBatch(Tensor input)
    {
        float share = 1f / teachers.Length;
        for (int t = 0; t < teachers.Length; t++)
        {
            // The raw logits, not divided by the teacher file's own calibration temperature: T alone sets the
            // softening (Hinton's recipe), so one --distill-temperature means the same for every teacher and every
            // run; a calibration temperature rescales a teacher's logits to fix its confidence at T = 1, which the
            // student's own calibration does for the student after training.
            var logits = teachers[t].Forward(input);
            if (t == 0)
            {
                if (softTargets is null || softTargets[0] != logits[0] || softTargets[1] != logits[1])
                {
                    softTargets = new Tensor(logits[0], logits[1]);
                }

                softTargets.Span.Clear();
            }

            loss.AddSoftTargets(logits, softTargets!, share);
        }
    }

    /// <summary>Blends the hard loss (and its gradient, in place) with the soft loss of the student's logits against the last batch's soft targets.</summary>
    // studentLogits (N,C), hardGradient (N,C) blended in place -> the blended loss
    public float Blend(Tensor studentLogits, float hardLoss, Tensor hardGradient)
    {
        loss.Forward(studentLogits, softTargets ?? throw new InvalidOperationException("DistillationTeachers.SeeBatch has not run."));
        return loss.Blend(hardLoss, hardGradient);
    }

    /// <summary>Checks the distillation settings and every teacher file (before any data is loaded).</summary>
    public static void Check(TrainingOptions options)
    {
        CheckNumbers(options);
        foreach (string path in options.Teachers ?? [])
        {
            _ = Load(path, options.Normalization);
        }
    }

    /// <summary>Checks --distill-weight and --distill-temperature.</summary>
    public static void CheckNumbers(TrainingOptions options)
    {
        if (options.DistillationWeight is < 0 or > 1 or double.NaN)
        {
            throw new FacemojiException($"--distill-weight must be in [0, 1], not {options.DistillationWeight}.");
        }

        if (!(options.DistillationTemperature > 0) || !double.IsFinite(options.DistillationTemperature))
        {
            throw new FacemojiException($"--distill-temperature must be a finite number above 0, not {options.DistillationTemperature}.");
        }
    }

    /// <summary>Refuses to resume a run whose teacher files are gone or changed: the soft targets, and so the run, would differ.</summary>
    public static void CheckUnchanged(IReadOnlyList<TeacherFile>? recorded, string checkpointPath) =>
        CheckUnchanged(recorded, checkpointPath, teacher => File.Exists(teacher.Path) ? Checksum(teacher.Path) : null);

    /// <summary>
    /// As <see cref="CheckUnchanged(IReadOnlyList{TeacherFile}?, string)"/> for the teachers this resumed run has built,
    /// by the checksums of the bytes they were built from: a file changed after the early check is still refused.
    /// </summary>
    public void CheckBuiltFrom(IReadOnlyList<TeacherFile>? recorded, string checkpointPath)
    {
        // The checkpoint's options named these teachers, so every recorded path was loaded.
        CheckUnchanged(recorded, checkpointPath, teacher => Files.First(f => f.Path == teacher.Path).Sha256);
    }

    // now: the teacher's checksum today, null when its file is gone.
    private static void CheckUnchanged(IReadOnlyList<TeacherFile>? recorded, string checkpointPath, Func<TeacherFile, string?> now)
    {
        foreach (var teacher in recorded ?? [])
        {
            string? checksum = now(teacher);
            if (checksum is null)
            {
                throw new FacemojiException($"{checkpointPath}: was distilled from the teacher {teacher.Path}, which is gone; resume needs the same teacher files.");
            }

            if (checksum != teacher.Sha256)
            {
                throw new FacemojiException($"{checkpointPath}: was distilled from the teacher {teacher.Path} with sha256 {teacher.Sha256[..12]}…, which has changed (now {checksum[..12]}…); resume needs the same teacher files.");
            }
        }
    }

    private static string Checksum(string path) => FileChecksum.Sha256(path, $"--teacher {path}");

    /// <summary>Reads a teacher file once, checks that it predicts the run's classes from the run's inputs, and builds its network in evaluation mode.</summary>
    private static (Module Network, TeacherFile File) Load(string path, Normalization normalization)
    {
        if (!File.Exists(path))
        {
            throw new FacemojiException($"--teacher {path}: no such model file.");
        }

        LoadedModelFile file;
        string sha256;
        Module network;
        try
        {
            (file, sha256) = ModelFile.ReadWithSha256(path);
            network = file.CreateEvalNetwork(); // an unknown architecture or tensors that do not fit it fail here
        }
        catch (FacemojiException ex)
        {
            throw new FacemojiException($"--teacher {(ex.Message.StartsWith(path, StringComparison.Ordinal) ? ex.Message : $"{path}: {ex.Message}")}", ex);
        }

        var header = file.Header;
        if (!header.Labels.SequenceEqual(EmotionNames.Canonical))
        {
            throw new FacemojiException(header.Labels.Count != EmotionNames.Canonical.Count
                ? $"--teacher {path}: predicts {header.Labels.Count} classes ({string.Join(", ", header.Labels)}), not the {EmotionNames.Canonical.Count} this run trains ({string.Join(", ", EmotionNames.Canonical)})."
                : $"--teacher {path}: predicts the classes {string.Join(", ", header.Labels)}, not in this run's order ({string.Join(", ", EmotionNames.Canonical)}).");
        }

        var input = header.Preprocessing;
        if (input.Width != FerDataset.Side || input.Height != FerDataset.Side || input.Channels != 1)
        {
            throw new FacemojiException($"--teacher {path}: takes {input.Width}x{input.Height}x{input.Channels} inputs, not the {FerDataset.Side}x{FerDataset.Side}x1 this run trains on.");
        }

        if (input.Mean.Count != 1 || input.Std.Count != 1
            || Math.Abs(input.Mean[0] - normalization.Mean) > 1e-6 || Math.Abs(input.Std[0] - normalization.Std) > 1e-6)
        {
            throw new FacemojiException($"--teacher {path}: expects inputs normalised with mean {string.Join("/", input.Mean)} and std {string.Join("/", input.Std)}, not this run's {normalization.Mean} and {normalization.Std}.");
        }

        return (network, new TeacherFile(path, sha256));
    }
}
