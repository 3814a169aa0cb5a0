using System.Globalization;
using Facemoji.Engine;
using Facemoji.Engine.Serialization;
using Facemoji.Training.Augmentation;
using Facemoji.Training.Data;
using Facemoji.Training.Evaluation;
using Facemoji.Training.Runs;

namespace Facemoji.Training.Calibration;

/// <summary>
/// Fits a model file's temperature on labelled images held out of training, and writes it into the file
/// (the tensors are rewritten exactly as stored; the header gains <c>temperature</c>, the fit's figures in its
/// metrics and the images' source in its training facts). Never fit on test images: a temperature fitted on
/// the data it is then measured on makes the measurement meaningless.
/// </summary>
public static class ModelCalibrator
{
    /// <summary>The fit runs on the image and its mirror, the two views the pipeline averages for every face it shows.</summary>
    public static IReadOnlyList<SampleTransform> FitViews { get; } = [SampleTransform.Identity, SampleTransform.Identity with { Flip = true }];

    public sealed record Result(string ModelPath, string DataSource, int Images, double Temperature, double NllBefore, double NllAfter, double EceBefore, double EceAfter)
    {
        public string Describe() => string.Create(CultureInfo.InvariantCulture,
            $"temperature {Temperature:F4} fitted on {Images} images ({DataSource}, image + mirror): NLL {NllBefore:F4} -> {NllAfter:F4}, ECE {EceBefore:F4} -> {EceAfter:F4}");
    }

    /// <summary>
    /// The slice of the train split the trainer holds out for validation when no other validation set is
    /// given: a stratified <paramref name="fraction"/> drawn with the run's seed (TrainingDataSelection).
    /// </summary>
    public static FerDataset TrainValidationSlice(DatasetSplits data, double fraction, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(data);
        var train = data.IsSingleSplit ? data.Get(DatasetSplits.All) : data.Get(DatasetSplits.Train);
        return StratifiedSplit.Split(train, fraction, seed).HeldOut;
    }

    /// <summary>
    /// True when the model's training facts say it trained on every image of a train split of
    /// <paramref name="trainCount"/> images, so that any slice of it was seen in training. A temperature fitted on
    /// such images is too low: the network is more often right on images it learnt from (the shipped model: fitted
    /// T = 0.65 on its own training images raised PublicTest ECE from 0.023 to 0.136; models/MODEL.md).
    /// </summary>
    public static bool TrainedOnWholeSplit(ModelHeader header, int trainCount)
    {
        ArgumentNullException.ThrowIfNull(header);
        return header.TrainingInfo.TryGetValue("train_images", out var text)
            && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int trained)
            && trained >= trainCount;
    }

    /// <summary>The seed a model file was trained with (its training facts), or the trainer's default.</summary>
    public static ulong TrainingSeed(ModelHeader header)
    {
        ArgumentNullException.ThrowIfNull(header);
        return header.TrainingInfo.TryGetValue("seed", out var text) && ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong seed)
            ? seed
            : new TrainingOptions().Seed;
    }

    /// <summary>Fits the temperature of the model at <paramref name="modelPath"/> on <paramref name="data"/> (inference only).</summary>
    public static Result Fit(string modelPath, FerDataset data, int batchSize = 256, Action<int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Count == 0)
        {
            throw new FacemojiException($"{data.Source}: no images to calibrate on.");
        }

        var model = TrainedModel.Load(modelPath);
        var logits = Predictor.PredictLogits(model.Network, data, model.Normalization, FitViews, batchSize, progress);
        var labels = data.Labels.Select(l => (int)l).ToArray();
        double temperature = TemperatureScaling.Fit(logits, labels);
        var before = logits.Probabilities(1);
        var after = logits.Probabilities(temperature);
        return new Result(modelPath, data.Source, data.Count, temperature,
            CalibrationMetrics.NegativeLogLikelihood(before, labels, logits.Classes), CalibrationMetrics.NegativeLogLikelihood(after, labels, logits.Classes),
            CalibrationMetrics.ExpectedCalibrationError(before, labels, logits.Classes), CalibrationMetrics.ExpectedCalibrationError(after, labels, logits.Classes));
    }

    /// <summary>Writes the fitted temperature into the model file at <paramref name="outputPath"/> (atomically; the source file when it is the same path).</summary>
    public static void Write(Result result, string outputPath)
    {
        ArgumentNullException.ThrowIfNull(result);
        var file = ModelFile.Read(result.ModelPath);
        var metrics = new Dictionary<string, double>(file.Header.Metrics)
        {
            ["calibration_n"] = result.Images,
            ["calibration_nll_before"] = result.NllBefore,
            ["calibration_nll_after"] = result.NllAfter,
            ["calibration_ece_before"] = result.EceBefore,
            ["calibration_ece_after"] = result.EceAfter,
        };
        var info = new Dictionary<string, string>(file.Header.TrainingInfo) { ["calibration_data"] = result.DataSource };
        ModelFile.SaveWithHeader(outputPath, file, file.Header with { Temperature = result.Temperature, Metrics = metrics, TrainingInfo = info });
    }
}
