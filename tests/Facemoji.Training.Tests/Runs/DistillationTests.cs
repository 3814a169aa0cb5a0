using Facemoji.Engine;
using Facemoji.Engine.Modules;
using Facemoji.Engine.Networks;
using Facemoji.Engine.Randomness;
using Facemoji.Engine.Serialization;
using Facemoji.Training.Augmentation;
using Facemoji.Training.Data;
using Facemoji.Training.Evaluation;
using Facemoji.Training.Runs;
using Xunit.Abstractions;

namespace Facemoji.Training.Tests.Runs;

/// <summary>
/// Knowledge distillation in the trainer (--teacher): a student distilled from a teacher that learnt shifted labels
/// answers like the teacher, not like the labels; α = 0 trains exactly as without teachers; a distilled run with
/// mixup and CutMix and two teachers of different architectures resumes bit for bit and refuses a changed teacher;
/// bad teachers and settings are refused before any data.
/// </summary>
public sealed class DistillationTests(DistillationTests.Teachers teachers, ITestOutputHelper output) : IClassFixture<DistillationTests.Teachers>
{
    private static readonly TrainingOptions Quick = new()
    {
        Architecture = "bench-vgg8",
        Epochs = 3,
        BatchSize = 14,
        LearningRate = 0.05,
        WarmupEpochs = 0.5,
        Seed = 11,
        EarlyStoppingPatience = 0,
        Augmentation = AugmentationOptions.None,
    };

    /// <summary>Settings that learn the synthetic faces in a few seconds.</summary>
    private static readonly TrainingOptions Learner = Quick with { Epochs = 5, Optimizer = OptimizerKind.AdamW, LearningRate = 2e-3, WeightDecay = 0, WarmupEpochs = 0.2 };

    /// <summary>
    /// Two teachers, made once for the class: a bench-vgg8 trained on the synthetic faces with every label shifted
    /// by one class (so its answers differ from the labels), and an untrained resnet10 (another architecture).
    /// </summary>
    public sealed class Teachers : IDisposable
    {
        private readonly TempFolder temp = new();

        public Teachers()
        {
            var shifted = new FerDataset(Train.Pixels, Train.Labels.Select(l => (byte)((l + 1) % 7)).ToArray(), "synthetic train, labels shifted");
            var shiftedValidation = new FerDataset(Validation.Pixels, Validation.Labels.Select(l => (byte)((l + 1) % 7)).ToArray(), "synthetic val, labels shifted");
            Shifted = new Trainer(new RecordingMonitor()).Train(shifted, shiftedValidation, Learner with { Epochs = 8 }, temp.Combine("shifted", "teacher.fmj")).ModelPath;
            OtherArchitecture = temp.Combine("resnet", "teacher.fmj");
            Directory.CreateDirectory(Path.GetDirectoryName(OtherArchitecture)!);
            ModelFile.Save(OtherArchitecture, Architectures.Create("resnet10", new SeededRandom(4)), ModelFile.Read(Shifted).Header with { Architecture = "resnet10" });
        }

        public static FerDataset Train { get; } = SyntheticFaces.Make(8, 1, "synthetic train");

        public static FerDataset Validation { get; } = SyntheticFaces.Make(3, 2, "synthetic val");

        public string Shifted { get; }

        public string OtherArchitecture { get; }

        public void Dispose() => temp.Dispose();
    }

    /// <summary>
    /// The probabilities (N,7) of a model file, or of a checkpoint's last epoch: a student that follows shifted labels
    /// has its best validation accuracy (the model file's epoch) at the start, so its progress is the checkpoint's.
    /// </summary>
    private static float[] Probabilities(string path, FerDataset data)
    {
        var file = path.EndsWith(TrainingCheckpoint.Extension, StringComparison.Ordinal) ? TrainingCheckpoint.Load(path).Model : ModelFile.Read(path);
        return Predictor.PredictProbabilities(file.CreateEvalNetwork(), data, Normalization.Fer2013, TestTimeAugmentation.Views(false), 16);
    }

    private static int[] Answers(string path, FerDataset data) => Predictor.ArgMax(Probabilities(path, data), 7);

    /// <summary>Mean KL(p ‖ q) over the images of two (N,7) probability tables.</summary>
    private static double MeanKl(float[] p, float[] q)
    {
        double sum = 0;
        for (int i = 0; i < p.Length; i++)
        {
            sum += p[i] > 0 ? p[i] * Math.Log(p[i] / Math.Max(q[i], 1e-12)) : 0;
        }

        return sum / (p.Length / 7);
    }

    private static double Agreement(int[] a, int[] b) => a.Zip(b, (x, y) => x == y ? 1.0 : 0.0).Average();

    [Fact]
    [Trait("Category", "Slow")]
    public void A_distilled_student_answers_like_its_teacher_rather_than_the_labels()
    {
        using var temp = new TempFolder();
        var validation = Teachers.Validation;
        int[] teacher = Answers(teachers.Shifted, validation);
        int[] labels = validation.Labels.Select(l => (int)l).ToArray();
        double teacherOnLabels = Agreement(teacher, labels);

        var monitor = new RecordingMonitor();
        var options = Learner with { Teachers = [teachers.Shifted], DistillationWeight = 1, DistillationTemperature = 2 };
        var distilled = new Trainer(monitor).Train(Teachers.Train, validation, options, temp.Combine("d", "model.fmj"));
        var plain = new Trainer(new RecordingMonitor()).Train(Teachers.Train, validation, options with { Teachers = null }, temp.Combine("p", "model.fmj"));

        int[] student = Answers(distilled.CheckpointPath, validation), baseline = Answers(plain.CheckpointPath, validation);
        float[] pt = Probabilities(teachers.Shifted, validation), pd = Probabilities(distilled.CheckpointPath, validation), pp = Probabilities(plain.CheckpointPath, validation);
        output.WriteLine($"mean KL(teacher ‖ student) on validation: distilled {MeanKl(pt, pd):F4}, plain {MeanKl(pt, pp):F4}; teacher on its shifted labels {Agreement(teacher, labels.Select(l => (l + 1) % 7).ToArray()):P0}");
        output.WriteLine($"teacher vs labels {teacherOnLabels:P0}; distilled student vs teacher {Agreement(student, teacher):P0}, vs labels {Agreement(student, labels):P0}; plain student vs teacher {Agreement(baseline, teacher):P0}, vs labels {Agreement(baseline, labels):P0}");
        monitor.Messages.Should().Contain(m => m.StartsWith("distilling from 1 teacher (") && m.Contains("T = 2"));
        teacherOnLabels.Should().BeLessThan(0.5, "the teacher learnt shifted labels");
        Agreement(student, teacher).Should().BeGreaterThan(Agreement(baseline, teacher) + 0.2, "the distilled student follows its teacher");
        Agreement(student, teacher).Should().BeGreaterThan(Agreement(student, labels), "with α = 1 the labels play no part");
        MeanKl(pt, pd).Should().BeLessThan(0.7 * MeanKl(pt, pp), "the distilled student's probabilities are nearer the teacher's");
        var info = ModelFile.Read(distilled.ModelPath).Header.TrainingInfo;
        info["teachers"].Should().StartWith($"{teachers.Shifted} (sha256 ").And.HaveLength(teachers.Shifted.Length + " (sha256 )".Length + 64);
        info["distillation"].Should().Be("weight 1, temperature 2");
        ModelFile.Read(plain.ModelPath).Header.TrainingInfo.Should().NotContainKey("teachers");
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void A_weight_of_zero_trains_bit_for_bit_as_without_teachers()
    {
        using var temp = new TempFolder();
        var options = Quick with { Epochs = 1, MixupAlpha = 0.4, Augmentation = new AugmentationOptions() };
        var plain = new Trainer(new RecordingMonitor()).Train(Teachers.Train, Teachers.Validation, options, temp.Combine("p", "model.fmj"));
        var zero = new Trainer(new RecordingMonitor()).Train(Teachers.Train, Teachers.Validation, options with { Teachers = [teachers.Shifted, teachers.OtherArchitecture], DistillationWeight = 0 }, temp.Combine("z", "model.fmj"));

        zero.History.Select(r => (r.TrainLoss, r.TrainAccuracy, r.ValidationLoss)).Should().Equal(plain.History.Select(r => (r.TrainLoss, r.TrainAccuracy, r.ValidationLoss)));
        var a = TrainingCheckpoint.Load(plain.CheckpointPath).Model.Tensors;
        var b = TrainingCheckpoint.Load(zero.CheckpointPath).Model.Tensors;
        for (int i = 0; i < a.Count; i++)
        {
            b[i].Value.Span.ToArray().Should().Equal(a[i].Value.Span.ToArray(), $"tensor {a[i].Name} must match bit for bit");
        }
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void A_distilled_run_with_mixing_resumes_exactly_and_refuses_a_changed_teacher()
    {
        using var temp = new TempFolder();
        string other = temp.Combine("teachers", "resnet.fmj");
        Directory.CreateDirectory(Path.GetDirectoryName(other)!);
        File.Copy(teachers.OtherArchitecture, other);
        var options = Quick with
        {
            Epochs = 2,
            MixupAlpha = 0.4,
            CutMixAlpha = 1,
            Augmentation = new AugmentationOptions(),
            Teachers = [teachers.Shifted, other],
            DistillationWeight = 0.7,
            DistillationTemperature = 3,
        };
        var straight = new Trainer(new RecordingMonitor()).Train(Teachers.Train, Teachers.Validation, options, temp.Combine("a", "model.fmj"));
        straight.History.Should().OnlyContain(r => double.IsFinite(r.TrainLoss) && r.TrainLoss > 0);

        string interruptedPath = temp.Combine("b", "model.fmj");
        var first = new Trainer(new RecordingMonitor(), interruptAfterEpoch: 1).Train(Teachers.Train, Teachers.Validation, options, interruptedPath);
        Trainer.ReadOptions(first.CheckpointPath).Should().BeEquivalentTo(options);
        var resumed = new Trainer(new RecordingMonitor()).Resume(Teachers.Train, Teachers.Validation, first.CheckpointPath, interruptedPath);

        resumed.History.Select(r => (r.TrainLoss, r.TrainAccuracy, r.ValidationLoss, r.ValidationAccuracy, r.LearningRate))
            .Should().Equal(straight.History.Select(r => (r.TrainLoss, r.TrainAccuracy, r.ValidationLoss, r.ValidationAccuracy, r.LearningRate)));
        var x = TrainingCheckpoint.Load(straight.CheckpointPath).Model.Tensors;
        var y = TrainingCheckpoint.Load(resumed.CheckpointPath).Model.Tensors;
        for (int i = 0; i < x.Count; i++)
        {
            y[i].Value.Span.ToArray().Should().Equal(x[i].Value.Span.ToArray(), $"tensor {x[i].Name} must match bit for bit");
        }

        // The teacher changes (another seed's weights): the checkpoint no longer resumes, before any data is needed.
        ModelFile.Save(other, Architectures.Create("resnet10", new SeededRandom(5)), ModelFile.Read(other).Header);
        var changed = () => Trainer.ReadOptions(resumed.CheckpointPath);
        changed.Should().Throw<FacemojiException>().WithMessage($"*was distilled from the teacher {other} with sha256 *, which has changed (now *); resume needs the same teacher files.");
        var resumeChanged = () => new Trainer(new RecordingMonitor()).Resume(Teachers.Train, Teachers.Validation, resumed.CheckpointPath, interruptedPath);
        resumeChanged.Should().Throw<FacemojiException>().WithMessage("*has changed*");
        File.Delete(other);
        changed.Should().Throw<FacemojiException>().WithMessage($"*was distilled from the teacher {other}, which is gone*");
    }

    [Fact]
    public void The_run_records_the_checksum_of_the_bytes_its_teachers_were_built_from()
    {
        var built = new DistillationTeachers(Quick with { Teachers = [teachers.Shifted, teachers.OtherArchitecture] });

        built.Files.Select(f => f.Path).Should().Equal(teachers.Shifted, teachers.OtherArchitecture);
        built.Files[0].Sha256.Should().Be(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(teachers.Shifted))));
        built.CheckBuiltFrom(built.Files, "run.fmjckpt"); // the same files: no error

        // A teacher that changed after the early check (resume checks the files before it loads the data) is refused by the bytes it was built from.
        var recorded = new List<TeacherFile> { built.Files[0], built.Files[1] with { Sha256 = new string('0', 64) } };
        var changed = () => built.CheckBuiltFrom(recorded, "run.fmjckpt");
        changed.Should().Throw<FacemojiException>().WithMessage($"run.fmjckpt: was distilled from the teacher {teachers.OtherArchitecture} with sha256 000000000000…, which has changed (now *); resume needs the same teacher files.");
    }

    [Fact]
    public void Bad_teachers_and_distillation_settings_are_refused_before_any_data()
    {
        using var temp = new TempFolder();
        string shipped = RepositoryFiles.PathOf("models", "facemoji.fmj");
        void Refused(TrainingOptions options, string message) =>
            ((Action)(() => Trainer.CheckSettings(options))).Should().Throw<FacemojiException>().WithMessage(message);

        Trainer.CheckSettings(Quick with { Architecture = "resnet10", Teachers = [shipped, teachers.OtherArchitecture] }); // any architecture teaches

        Refused(Quick with { Teachers = [temp.Combine("none.fmj")] }, "--teacher *none.fmj: no such model file.");
        string text = temp.Combine("text.fmj");
        File.WriteAllText(text, "hello");
        Refused(Quick with { Teachers = [shipped, text] }, $"--teacher {text}: *");
        string damaged = temp.Combine("damaged.fmj");
        byte[] bytes = File.ReadAllBytes(shipped);
        File.WriteAllBytes(damaged, bytes[..(bytes.Length / 2)]);
        Refused(Quick with { Teachers = [damaged] }, $"--teacher {damaged}: *");
        Refused(Quick with { Teachers = ["/dev/zero"] }, "--teacher /dev/zero: *is not a regular file (a FIFO, device or socket).");
        Refused(Quick with { Teachers = [Trainer.CheckpointPathFor(teachers.Shifted)] }, $"--teacher {Trainer.CheckpointPathFor(teachers.Shifted)}: *");

        var header = ModelFile.Read(shipped).Header;
        var network = ModelFile.Read(shipped).CreateEvalNetwork();
        string Variant(string name, ModelHeader changed)
        {
            string path = temp.Combine(name + ".fmj");
            ModelFile.Save(path, network, changed);
            return path;
        }

        string sixClasses = Variant("six", header with { Labels = header.Labels.Take(6).ToArray() });
        Refused(Quick with { Teachers = [sixClasses] }, $"--teacher {sixClasses}: predicts 6 classes (angry, disgust, fear, happy, sad, surprise), not the 7 this run trains (*).");
        string reordered = Variant("reordered", header with { Labels = [.. header.Labels.Reverse()] });
        Refused(Quick with { Teachers = [reordered] }, $"--teacher {reordered}: predicts the classes neutral, surprise, *, not in this run's order (angry, *).");
        string larger = Variant("larger", header with { Preprocessing = header.Preprocessing with { Width = 64, Height = 64 } });
        Refused(Quick with { Teachers = [larger] }, $"--teacher {larger}: takes 64x64x1 inputs, not the 48x48x1 this run trains on.");
        string otherNormalisation = Variant("normalised", header with { Preprocessing = header.Preprocessing with { Mean = [0.5f], Std = [0.5f] } });
        Refused(Quick with { Teachers = [otherNormalisation] }, $"--teacher {otherNormalisation}: expects inputs normalised with mean 0.5 and std 0.5, not this run's 0.5077 and 0.255.");

        Refused(Quick with { Teachers = [shipped], DistillationWeight = -0.1 }, "--distill-weight must be in [0, 1], not -0.1.");
        Refused(Quick with { Teachers = [shipped], DistillationWeight = 1.5 }, "--distill-weight must be in [0, 1], not 1.5.");
        Refused(Quick with { Teachers = [shipped], DistillationWeight = double.NaN }, "--distill-weight must be in [0, 1], not NaN.");
        Refused(Quick with { Teachers = [shipped], DistillationTemperature = 0 }, "--distill-temperature must be a finite number above 0, not 0.");
        Refused(Quick with { Teachers = [shipped], DistillationTemperature = -2 }, "--distill-temperature must be a finite number above 0, not -2.");
        Refused(Quick with { Teachers = [shipped], DistillationTemperature = double.PositiveInfinity }, "--distill-temperature must be a finite number above 0, not Infinity.");

        var ownOutput = () => new TrainingRequest { Data = "/no/such/data", ModelPath = teachers.Shifted, Options = Quick with { Teachers = [teachers.Shifted] } }.Check();
        ownOutput.Should().Throw<FacemojiException>().WithMessage($"--teacher {teachers.Shifted}: is the model file this run writes (-o); copy it elsewhere and name the copy.");
    }
}
