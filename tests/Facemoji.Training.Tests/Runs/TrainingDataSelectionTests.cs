using Facemoji.Training.Data;
using Facemoji.Training.Runs;

namespace Facemoji.Training.Tests.Runs;

public class TrainingDataSelectionTests
{
    private static DatasetSplits Splits(params string[] names) =>
        new("data", names.ToDictionary(n => n, n => SyntheticFaces.Make(10, (ulong)n.Length, n)));

    private static DatasetSplits NoOther(string path) => throw new InvalidOperationException("no other dataset expected");

    [Fact]
    public void Defaults_to_the_val_split_then_the_test_split()
    {
        var both = TrainingDataSelection.Select(Splits("train", "val", "test"), null, 1, NoOther);
        both.Train.Source.Should().Be("train");
        both.Validation.Source.Should().Be("val");

        TrainingDataSelection.Select(Splits("train", "test"), null, 1, NoOther).Validation.Source.Should().Be("test");
    }

    [Fact]
    public void Without_a_held_out_split_holds_out_a_stratified_tenth_of_train()
    {
        var selection = TrainingDataSelection.Select(Splits("all"), null, 1, NoOther);

        selection.Train.Count.Should().Be(63);
        selection.Validation.Count.Should().Be(7);
        selection.Validation.ClassCounts().Should().OnlyContain(n => n == 1);
    }

    [Fact]
    public void Val_names_a_split_or_another_dataset()
    {
        TrainingDataSelection.Select(Splits("train", "val", "test"), "test", 1, NoOther).Validation.Source.Should().Be("test");
        TrainingDataSelection.Select(Splits("train", "val", "test"), "PrivateTest", 1, NoOther).Validation.Source.Should().Be("test");

        var other = TrainingDataSelection.Select(Splits("train"), "/elsewhere/faces", 1, _ => Splits("all"));
        other.Validation.Source.Should().Be("all");
    }
}
