using Facemoji.Engine.Networks;
using Facemoji.Engine.Randomness;
using Facemoji.Engine.Serialization;
using Facemoji.Expressions;
using Facemoji.Training.Averaging;

namespace Facemoji.Training.Tests.Averaging;

/// <summary>
/// <c>facemoji model average</c> in the library: the written file holds the element-wise mean of every stored
/// tensor (batch-norm statistics included) and names its members; members that are not the same network, or
/// are not model files, are refused with an error that names the file, and nothing is written.
/// </summary>
public sealed class ModelAveragingTests : IDisposable
{
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    private static ModelHeader Header(string architecture = "bench-vgg8") => new()
    {
        Architecture = architecture,
        Labels = EmotionNames.Canonical,
        Preprocessing = new PreprocessingSettings { Width = 48, Height = 48, Channels = 1, Mean = [0.5f], Std = [0.25f], CropPolicy = "face-box-1.02" },
        Temperature = 1.5,
    };

    /// <summary>A seeded network whose batch-norm running statistics are also seeded, so that averaging them is visible.</summary>
    private string Member(string name, ulong seed, string architecture = "bench-vgg8", ModelHeader? header = null)
    {
        var network = Architectures.Create(architecture, new SeededRandom(seed));
        var random = new Random((int)seed);
        foreach (var (_, buffer) in network.NamedBuffers())
        {
            var values = buffer.Span;
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = 0.5f + (float)random.NextDouble();
            }
        }

        string path = temp.Combine(name);
        ModelFile.Save(path, network, header ?? Header(architecture));
        return path;
    }

    [Fact]
    public void The_output_holds_the_mean_of_every_tensor_and_names_its_members()
    {
        string[] members = [Member("a.fmj", 1), Member("b.fmj", 2), Member("c.fmj", 3)];

        var result = ModelAveraging.Average(members, temp.Combine("soup.fmj"));

        var read = members.Select(ModelFile.Read).ToList();
        var soup = ModelFile.Read(temp.Combine("soup.fmj"));
        soup.Tensors.Select(t => t.Name).Should().Equal(read[0].Tensors.Select(t => t.Name));
        soup.Tensors.Should().Contain(t => t.Name.EndsWith("running_var", StringComparison.Ordinal), "the batch-norm statistics are averaged too");
        foreach (var tensor in soup.Tensors)
        {
            var mean = tensor.Value.Span;
            var x = read[0][tensor.Name].Span;
            var y = read[1][tensor.Name].Span;
            var z = read[2][tensor.Name].Span;
            for (int i = 0; i < mean.Length; i++)
            {
                mean[i].Should().BeApproximately((float)(((double)x[i] + y[i] + z[i]) / 3), 1e-7f, tensor.Name);
            }
        }

        result.Tensors.Should().Be(soup.Tensors.Count);
        result.Values.Should().Be(soup.Tensors.Sum(t => (long)t.Value.Span.Length));
        result.Describe().Should().Be($"averaged 3 bench-vgg8 models ({soup.Tensors.Count} tensors, {result.Values:N0} values) into {temp.Combine("soup.fmj")}");
        soup.Header.Temperature.Should().BeNull("the members' temperatures do not carry over to their mean");
        soup.Header.TrainingInfo["member_count"].Should().Be("3");
        soup.Header.TrainingInfo["members"].Should().Contain(members[2]).And.Contain(result.Inputs[2].Sha256);
        result.Inputs.Select(i => i.Sha256).Should().Equal(members.Select(m => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(m)))), "each member's checksum is of the bytes it was averaged from");
        soup.CreateEvalNetwork().Should().NotBeNull();
    }

    [Fact]
    public void Averaging_copies_of_one_model_gives_that_model_back()
    {
        string a = Member("a.fmj", 5);
        File.Copy(a, temp.Combine("copy.fmj"));

        ModelAveraging.Average([a, temp.Combine("copy.fmj")], temp.Combine("same.fmj"));

        var original = ModelFile.Read(a);
        foreach (var tensor in ModelFile.Read(temp.Combine("same.fmj")).Tensors)
        {
            tensor.Value.Span.ToArray().Should().Equal(original[tensor.Name].Span.ToArray());
        }
    }

    [Fact]
    public void The_output_may_replace_a_member_because_every_member_is_read_first()
    {
        string a = Member("a.fmj", 1);
        string b = Member("b.fmj", 2);
        float first = ModelFile.Read(a).Tensors[0].Value.Span[0];
        float second = ModelFile.Read(b).Tensors[0].Value.Span[0];

        ModelAveraging.Average([a, b], a);

        ModelFile.Read(a).Tensors[0].Value.Span[0].Should().BeApproximately((first + second) / 2, 1e-7f);
    }

    [Fact]
    public void The_soup_records_the_most_training_images_a_member_learnt_so_calibrate_can_warn()
    {
        static ModelHeader Trained(int images) => Header() with { TrainingInfo = new Dictionary<string, string> { ["train_images"] = images.ToString(System.Globalization.CultureInfo.InvariantCulture), ["seed"] = "3" } };
        string[] members = [Member("a.fmj", 1, header: Trained(100)), Member("b.fmj", 2, header: Trained(120))];
        string unknown = Member("c.fmj", 3);

        ModelAveraging.Average(members, temp.Combine("seen.fmj"));
        ModelAveraging.Average([.. members, unknown], temp.Combine("unknown.fmj"));

        var seen = ModelFile.Read(temp.Combine("seen.fmj")).Header;
        seen.TrainingInfo["train_images"].Should().Be("120");
        seen.TrainingInfo.Should().NotContainKey("seed", "the members' seeds, and so their held-out slices, differ");
        Facemoji.Training.Calibration.ModelCalibrator.TrainedOnWholeSplit(seen, 120).Should().BeTrue();
        ModelFile.Read(temp.Combine("unknown.fmj")).Header.TrainingInfo.Should().NotContainKey("train_images", "a member that does not say what it learnt leaves it unknown");
    }

    [Fact]
    public void Fewer_than_two_members_are_refused()
    {
        var act = () => ModelAveraging.Average([Member("a.fmj", 1)], temp.Combine("soup.fmj"));

        act.Should().Throw<FacemojiException>().WithMessage("model average needs at least two model files*got 1*");
        File.Exists(temp.Combine("soup.fmj")).Should().BeFalse();
    }

    [Fact]
    public void Another_network_is_refused_with_both_names()
    {
        string a = Member("a.fmj", 1);
        string other = Member("resnet.fmj", 2, "resnet10");

        var act = () => ModelAveraging.Average([a, other], temp.Combine("soup.fmj"));

        act.Should().Throw<FacemojiException>().WithMessage($"{other}: holds a 'resnet10' network, {a} a 'bench-vgg8'*");
        File.Exists(temp.Combine("soup.fmj")).Should().BeFalse();
    }

    [Fact]
    public void Other_preprocessing_or_labels_are_refused()
    {
        string a = Member("a.fmj", 1);
        string shifted = Member("shifted.fmj", 2, header: Header() with { Preprocessing = Header().Preprocessing with { Mean = [0.4f] } });
        string relabelled = Member("relabelled.fmj", 3, header: Header() with { Labels = [.. EmotionNames.Canonical.Reverse()] });

        var preprocessing = () => ModelAveraging.Average([a, shifted], temp.Combine("soup.fmj"));
        var labels = () => ModelAveraging.Average([a, relabelled], temp.Combine("soup.fmj"));

        preprocessing.Should().Throw<FacemojiException>().WithMessage($"{shifted}: its preprocessing settings differ from {a}'s*");
        labels.Should().Throw<FacemojiException>().WithMessage($"{relabelled}: its labels differ*");
        File.Exists(temp.Combine("soup.fmj")).Should().BeFalse();
    }

    [Fact]
    public void A_missing_foreign_or_diverged_member_is_refused_by_name()
    {
        string a = Member("a.fmj", 1);
        File.WriteAllText(temp.Combine("notes.fmj"), "these are not weights");
        var network = Architectures.Create("bench-vgg8", new SeededRandom(4));
        network.Parameters().First().Value.Span[3] = float.NaN;
        ModelFile.Save(temp.Combine("nan.fmj"), network, Header());

        var missing = () => ModelAveraging.Average([a, temp.Combine("gone.fmj")], temp.Combine("soup.fmj"));
        var foreign = () => ModelAveraging.Average([a, temp.Combine("notes.fmj")], temp.Combine("soup.fmj"));
        var diverged = () => ModelAveraging.Average([a, temp.Combine("nan.fmj")], temp.Combine("soup.fmj"));

        missing.Should().Throw<FacemojiException>().WithMessage($"{temp.Combine("gone.fmj")}: no such model file.");
        foreign.Should().Throw<FacemojiException>().WithMessage($"*{temp.Combine("notes.fmj")}*");
        diverged.Should().Throw<FacemojiException>().WithMessage($"*{temp.Combine("nan.fmj")}*not a finite number*");
        File.Exists(temp.Combine("soup.fmj")).Should().BeFalse();
    }

    [Fact]
    public void A_folder_as_output_is_refused_before_anything_is_read()
    {
        var act = () => ModelAveraging.Average(["/no/such/a.fmj", "/no/such/b.fmj"], temp.Path);

        act.Should().Throw<FacemojiException>().WithMessage($"--output {temp.Path}: is a folder*");
    }
}
