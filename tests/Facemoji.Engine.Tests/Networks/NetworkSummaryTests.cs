using Facemoji.Engine.Networks;
using Facemoji.Engine.Randomness;

namespace Facemoji.Engine.Tests.Networks;

public sealed class NetworkSummaryTests
{
    [Fact]
    public void Bench_vgg8_has_the_model_cards_parameters_and_multiply_adds()
    {
        var summary = NetworkSummary.Of(Architectures.Create("bench-vgg8", new SeededRandom(1)), 1, 48, 48);

        summary.Parameters.Should().Be(1_174_439);
        summary.MultiplyAdds.Should().Be(117_450_496);
        summary.Layers.Should().HaveCount(14);
        summary.Layers[1].OutputShape.Should().Equal(32, 48, 48);
        summary.Layers[1].MultiplyAdds.Should().Be(32L * 48 * 48 * 32 * 9);
        summary.Layers[2].Kind.Should().Be("MaxPool2d");
        summary.Layers[2].OutputShape.Should().Equal(32, 24, 24);
        summary.Layers[^1].OutputShape.Should().Equal(7);
        summary.Layers[^1].MultiplyAdds.Should().Be(256 * 7);
    }

    [Fact]
    public void A_strided_residual_block_counts_both_convolutions_and_its_shortcut()
    {
        var summary = NetworkSummary.Of(Architectures.Create("resnet10", new SeededRandom(1)), 1, 48, 48);

        var block = summary.Layers[2]; // stem, block 32->32, block 32->64 stride 2
        block.Kind.Should().Be("ResidualBlock");
        block.OutputShape.Should().Equal(64, 24, 24);
        block.MultiplyAdds.Should().Be((64L * 576 * 32 * 9) + (64L * 576 * 64 * 9) + (64L * 576 * 32));
        block.Description.Should().Contain("stride 2").And.Contain("conv 1x1");
        summary.Parameters.Should().Be(Architectures.Create("resnet10", new SeededRandom(2)).Parameters().Sum(p => (long)p.Value.Length));
    }
}
