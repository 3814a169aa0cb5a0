using System.Collections.Concurrent;
using Facemoji.Engine;
using Facemoji.Engine.Kernels;
using Facemoji.Engine.Modules;
using Facemoji.Engine.Serialization;
using Facemoji.Engine.Tensors;
using Facemoji.Expressions;
using Facemoji.Imaging;

namespace Facemoji.Pipeline.Classification;

/// <summary>
/// Classifies 48x48 gray faces with a trained model file, all faces of a frame in one batch. Each face is
/// also classified mirrored and the two softmax outputs (at the model file's calibration temperature) are averaged: faces are left-right symmetric in
/// meaning, and the average is steadier than either (it costs one more image in the same batch).
/// Not thread-safe (the network reuses its buffers); the weights of a model file are read once per process
/// and shared by every classifier made from it.
/// </summary>
public sealed class EmotionClassifier
{
    private static readonly ConcurrentDictionary<string, Lazy<LoadedModelFile>> Files = new(StringComparer.Ordinal);

    private readonly Module network;
    private readonly float[] mean;
    private readonly float[] std;
    private readonly float inverseTemperature;
    private Tensor? input;
    private float[] probabilities = [];

    private EmotionClassifier(LoadedModelFile file)
    {
        Header = file.Header;
        var pre = Header.Preprocessing;
        if (pre.Channels != 1 || Header.Labels.Count != EmotionNames.Count)
        {
            throw new FacemojiException($"{file.Path}: expected a 1-channel model with {EmotionNames.Count} labels, found {pre.Channels} channels and {Header.Labels.Count} labels.");
        }

        for (int i = 0; i < EmotionNames.Count; i++)
        {
            if (!EmotionNames.TryParse(Header.Labels[i], out var emotion) || (int)emotion != i)
            {
                throw new FacemojiException($"{file.Path}: label {i} is '{Header.Labels[i]}', expected '{EmotionNames.Canonical[i]}' (labels must be in the FER2013 code order).");
            }
        }

        network = file.CreateEvalNetwork();
        mean = [.. pre.Mean];
        std = [.. pre.Std];
        InputSize = pre.Width;
        CropMargin = FaceCrop.MarginOf(pre.CropPolicy, file.Path);
        inverseTemperature = (float)(1 / Header.SoftmaxTemperature);
    }

    public ModelHeader Header { get; }

    /// <summary>The side of the square gray face the model takes (48 for FER2013).</summary>
    public int InputSize { get; }

    /// <summary>How far a detected box grows on each side before the cut, from the model's crop policy (<see cref="FaceCrop.MarginOf"/>).</summary>
    public double CropMargin { get; }

    public static EmotionClassifier Load(string path)
    {
        string full = Path.GetFullPath(path);
        var lazy = Files.GetOrAdd(full, p => new Lazy<LoadedModelFile>(() => ModelFile.Read(p)));
        try
        {
            return new EmotionClassifier(lazy.Value);
        }
        catch
        {
            Files.TryRemove(full, out _);
            throw;
        }
    }

    /// <summary>Returns, for each face, the seven probabilities in code order.</summary>
    public float[][] Classify(IReadOnlyList<GrayImage> faces)
    {
        if (faces.Count == 0)
        {
            return [];
        }

        int side = InputSize, pixels = side * side, n = faces.Count * 2;
        if (input is null || input.Shape[0] != n)
        {
            input = new Tensor(n, 1, side, side);
            probabilities = new float[n * EmotionNames.Count];
        }

        var data = input.Data;
        for (int f = 0; f < faces.Count; f++)
        {
            var face = faces[f];
            if (face.Width != side || face.Height != side)
            {
                throw new ArgumentException($"Face {f} is {face.Width}x{face.Height}; the model takes {side}x{side}.", nameof(faces));
            }

            // Face f at 2f, its mirror image at 2f + 1.
            float scale = 1f / (255f * std[0]), shift = mean[0] / std[0];
            int plain = 2 * f * pixels, mirrored = plain + pixels;
            for (int y = 0; y < side; y++)
            {
                var row = face.Row(y);
                for (int x = 0; x < side; x++)
                {
                    float v = row[x] * scale - shift;
                    data[plain + y * side + x] = v;
                    data[mirrored + y * side + (side - 1 - x)] = v;
                }
            }
        }

        var logits = network.Forward(input);
        if (inverseTemperature != 1)
        {
            // Calibrated probabilities: softmax(logits / T). The logits are the network's own output buffer,
            // rewritten by the next forward pass.
            var span = logits.Span;
            for (int i = 0; i < span.Length; i++)
            {
                span[i] *= inverseTemperature;
            }
        }

        SoftmaxKernel.Forward(logits.Span, probabilities, n, EmotionNames.Count);
        var result = new float[faces.Count][];
        for (int f = 0; f < faces.Count; f++)
        {
            result[f] = new float[EmotionNames.Count];
            for (int c = 0; c < EmotionNames.Count; c++)
            {
                result[f][c] = 0.5f * (probabilities[2 * f * EmotionNames.Count + c] + probabilities[(2 * f + 1) * EmotionNames.Count + c]);
            }
        }

        return result;
    }
}
