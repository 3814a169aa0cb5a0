using Facemoji.Engine;
using Facemoji.Expressions;
using Facemoji.Imaging;
using Facemoji.Imaging.Processing;
using Facemoji.Training.Data;

namespace Facemoji.Training.Tests.Data;

public class DatasetLoaderTests
{
    [Fact]
    public void A_csv_is_cached_by_content_and_the_second_load_reads_the_cache()
    {
        using var temp = new TempFolder();
        string csv = temp.Combine("fer.csv");
        File.WriteAllText(csv, TinyCsv.Build([(0, "Training"), (3, "PrivateTest"), (5, "Training")]));
        var options = new DatasetLoadOptions { CacheDirectory = temp.Combine("cache") };

        var first = DatasetLoader.Load(csv, options);
        var second = DatasetLoader.Load(csv, options);

        first.FromCache.Should().BeFalse();
        first.CacheBytes.Should().BeGreaterThan(3 * 2304);
        File.Exists(first.CachePath).Should().BeTrue();
        second.FromCache.Should().BeTrue();
        second.CachePath.Should().Be(first.CachePath);
        second.Splits.Get("train").Pixels.Should().Equal(first.Splits.Get("train").Pixels);
        second.Splits.Get("train").Labels.Should().Equal(0, 5);
        second.Splits.Get("test").Labels.Should().Equal(3);
        second.Describe().Should().Contain("3 images").And.Contain("from cache");

        // Changed content, new key: the stale entry is not used.
        File.WriteAllText(csv, TinyCsv.Build([(1, "Training")]));
        var third = DatasetLoader.Load(csv, options);
        third.FromCache.Should().BeFalse();
        third.Splits.Get("train").Labels.Should().Equal(1);
    }

    [Fact]
    public void A_damaged_cache_file_is_ignored_and_rewritten()
    {
        using var temp = new TempFolder();
        string csv = temp.Combine("fer.csv");
        File.WriteAllText(csv, TinyCsv.Build([(2, null), (4, null)]));
        var options = new DatasetLoadOptions { CacheDirectory = temp.Combine("cache") };
        var first = DatasetLoader.Load(csv, options);
        File.WriteAllBytes(first.CachePath!, File.ReadAllBytes(first.CachePath!)[..100]);

        var second = DatasetLoader.Load(csv, options);

        second.FromCache.Should().BeFalse();
        second.Splits.Get("all").Labels.Should().Equal(2, 4);
        DatasetLoader.Load(csv, options).FromCache.Should().BeTrue();
    }

    [Fact]
    public void Skipped_rows_are_reported_again_from_the_cache()
    {
        using var temp = new TempFolder();
        string csv = temp.Combine("fer.csv");
        File.WriteAllText(csv, "emotion,pixels\n0," + TinyCsv.Pixels(0) + "\n8," + TinyCsv.Pixels(1) + "\n");
        var options = new DatasetLoadOptions { CacheDirectory = temp.Combine("cache"), SkipBad = true };

        DatasetLoader.Load(csv, options).Skipped.Count.Should().Be(1);
        var cached = DatasetLoader.Load(csv, options);

        cached.FromCache.Should().BeTrue();
        cached.Skipped.Count.Should().Be(1);
        cached.Skipped.Examples[0].Should().Contain("line 3");
        ((Action)(() => DatasetLoader.Load(csv, options with { SkipBad = false }))).Should().Throw<FacemojiException>().WithMessage("*line 3*");
    }

    [Fact]
    public void A_missing_path_names_it()
    {
        var act = () => DatasetLoader.Load("/no/such/faces.csv", new DatasetLoadOptions { UseCache = false });

        act.Should().Throw<FacemojiException>().WithMessage("/no/such/faces.csv: no such file or folder*");
    }

    [Fact(Timeout = 10_000)]
    public async Task A_device_is_refused_before_it_is_read()
    {
        // File.ReadAllBytes would read /dev/zero until the array limit and crash.
        var act = () => DatasetLoader.Load("/dev/zero", new DatasetLoadOptions { UseCache = false });

        await Task.Run(() => act.Should().Throw<FacemojiException>().WithMessage("/dev/zero: is not a regular file (a FIFO, device or socket)"));
    }

    [Fact]
    public void Class_folders_map_by_name_with_aliases_not_by_order()
    {
        using var temp = new TempFolder();
        // Alphabetical order would give anger=0, happiness=1, natural=2, surprised=3: all wrong.
        TestImages.Write(temp.Combine("faces", "happiness", "a.png"), 48, 48, 10);
        TestImages.Write(temp.Combine("faces", "anger", "a.png"), 48, 48, 20);
        TestImages.Write(temp.Combine("faces", "natural", "b.png"), 48, 48, 30);
        TestImages.Write(temp.Combine("faces", "surprised", "c.png"), 48, 48, 40);
        File.WriteAllText(temp.Combine("faces", "surprised", "notes.txt"), "not an image");

        var result = DatasetLoader.Load(temp.Combine("faces"), TestImages.Options(temp));

        var all = result.Splits.Get("all");
        all.Count.Should().Be(4);
        var byValue = Enumerable.Range(0, 4).ToDictionary(i => all.Image(i)[0], i => all.Label(i));
        byValue[10].Should().Be(Emotion.Happy);
        byValue[20].Should().Be(Emotion.Angry);
        byValue[30].Should().Be(Emotion.Neutral);
        byValue[40].Should().Be(Emotion.Surprise);
    }

    [Fact]
    public void A_dataset_root_gives_train_val_and_test_and_resizes_any_size_to_48()
    {
        using var temp = new TempFolder();
        TestImages.Write(temp.Combine("root", "train", "happy", "1.png"), 96, 96, 200);
        TestImages.Write(temp.Combine("root", "train", "sad", "1.png"), 30, 20, 50);
        TestImages.Write(temp.Combine("root", "test", "fear", "1.png"), 48, 48, 70);
        TestImages.Write(temp.Combine("root", "val", "disgust", "1.png"), 64, 48, 90);

        var splits = DatasetLoader.Load(temp.Combine("root"), TestImages.Options(temp)).Splits;

        splits.Names.Should().Equal("train", "val", "test");
        var train = splits.Get("train");
        train.Labels.Should().Equal((byte)Emotion.Happy, (byte)Emotion.Sad);
        train.Image(0).ToArray().Should().OnlyContain(v => v == 200);
        train.Image(1).ToArray().Should().OnlyContain(v => v == 50);
        splits.Get("val").Label(0).Should().Be(Emotion.Disgust);
        splits.Get("test").Label(0).Should().Be(Emotion.Fear);
    }

    [Fact]
    public void Colour_and_jpeg_images_become_gray()
    {
        using var temp = new TempFolder();
        var red = new RgbaImage(60, 60);
        for (int i = 0; i < red.Pixels.Length; i += 4)
        {
            (red.Pixels[i], red.Pixels[i + 1], red.Pixels[i + 2], red.Pixels[i + 3]) = ((byte)200, (byte)0, (byte)0, (byte)255);
        }

        Directory.CreateDirectory(temp.Combine("faces", "fearful"));
        Directory.CreateDirectory(temp.Combine("faces", "sadness"));
        ImageCodecs.Save(red, temp.Combine("faces", "fearful", "red.png"));
        ImageCodecs.Save(new GrayImage(48, 48, Enumerable.Repeat((byte)128, 48 * 48).ToArray()), temp.Combine("faces", "sadness", "gray.jpg"));

        var all = DatasetLoader.Load(temp.Combine("faces"), TestImages.Options(temp)).Splits.Get("all");

        var expectedRed = ColorConversion.ToGray(red).Pixels[0];
        var fear = Enumerable.Range(0, all.Count).Single(i => all.Label(i) == Emotion.Fear);
        var sad = Enumerable.Range(0, all.Count).Single(i => all.Label(i) == Emotion.Sad);
        all.Image(fear).ToArray().Should().OnlyContain(v => v == expectedRed, "a flat colour stays flat after conversion and area resizing");
        expectedRed.Should().BeInRange(55, 65, "BT.601 weighs red 0.299");
        all.Image(sad).ToArray().Should().OnlyContain(v => Math.Abs(v - 128) <= 2, "JPEG is lossy but a flat gray survives");
    }

    [Fact]
    public void Folder_cache_hits_until_a_file_changes()
    {
        using var temp = new TempFolder();
        string image = temp.Combine("faces", "happy", "1.png");
        TestImages.Write(image, 48, 48, 1);
        var options = TestImages.Options(temp);

        DatasetLoader.Load(temp.Combine("faces"), options).FromCache.Should().BeFalse();
        DatasetLoader.Load(temp.Combine("faces"), options).FromCache.Should().BeTrue();
        TestImages.Write(image, 50, 50, 2);
        File.SetLastWriteTimeUtc(image, DateTime.UtcNow.AddMinutes(1));

        var reloaded = DatasetLoader.Load(temp.Combine("faces"), options);
        reloaded.FromCache.Should().BeFalse();
        reloaded.Splits.Get("all").Image(0)[0].Should().Be(2);
    }

    [Fact]
    public void An_unknown_class_folder_lists_the_accepted_names()
    {
        using var temp = new TempFolder();
        TestImages.Write(temp.Combine("faces", "happy", "1.png"), 48, 48, 1);
        TestImages.Write(temp.Combine("faces", "bored", "1.png"), 48, 48, 1);

        var act = () => DatasetLoader.Load(temp.Combine("faces"), TestImages.Options(temp));

        act.Should().Throw<FacemojiException>().WithMessage("*bored*unknown class folder 'bored'; accepted names are *anger*happiness*natural*");
    }

    [Fact]
    public void An_image_that_does_not_decode_names_the_file_or_is_skipped()
    {
        using var temp = new TempFolder();
        TestImages.Write(temp.Combine("faces", "happy", "good.png"), 48, 48, 1);
        string bad = temp.Combine("faces", "sad", "broken.png");
        Directory.CreateDirectory(Path.GetDirectoryName(bad)!);
        File.WriteAllText(bad, "garbage");

        var act = () => DatasetLoader.Load(temp.Combine("faces"), TestImages.Options(temp));
        act.Should().Throw<FacemojiException>().WithMessage($"{bad}*");

        var skipped = DatasetLoader.Load(temp.Combine("faces"), TestImages.Options(temp) with { SkipBad = true });
        skipped.Skipped.Count.Should().Be(1);
        skipped.Splits.Get("all").Labels.Should().Equal((byte)Emotion.Happy);
    }

    [Fact]
    public void Decoding_reports_its_progress_up_to_every_image_and_a_cache_hit_reports_once()
    {
        using var temp = new TempFolder();
        for (int i = 0; i < 150; i++)
        {
            TestImages.Write(temp.Combine("faces", i % 2 == 0 ? "happy" : "sad", $"{i:D3}.png"), 48, 48, (byte)i);
        }

        var reports = new System.Collections.Concurrent.ConcurrentQueue<(int Done, int Total)>();
        var options = TestImages.Options(temp) with { Progress = (done, total) => reports.Enqueue((done, total)) };
        DatasetLoader.Load(temp.Combine("faces"), options).FromCache.Should().BeFalse();

        reports.Should().AllSatisfy(r => r.Total.Should().Be(150)).And.HaveCountGreaterThan(2, "150 images decode in chunks of 64");
        reports.Max(r => r.Done).Should().Be(150);
        reports.Should().OnlyContain(r => r.Done > 0 && r.Done <= 150);

        reports.Clear();
        DatasetLoader.Load(temp.Combine("faces"), options).FromCache.Should().BeTrue();
        reports.Should().Equal((150, 150));
    }

    [Fact]
    public void An_empty_folder_names_the_folder()
    {
        using var temp = new TempFolder();
        Directory.CreateDirectory(temp.Combine("faces", "happy"));

        var act = () => DatasetLoader.Load(temp.Combine("faces"), TestImages.Options(temp));

        act.Should().Throw<FacemojiException>().WithMessage($"{temp.Combine("faces")}: holds no images*");
    }
}

/// <summary>Writes flat gray test images as PNG with the project's encoder.</summary>
public static class TestImages
{
    public static void Write(string path, int width, int height, byte value)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        ImageCodecs.Save(new GrayImage(width, height, Enumerable.Repeat(value, width * height).ToArray()), path);
    }

    public static DatasetLoadOptions Options(TempFolder temp) => new() { CacheDirectory = temp.Combine("cache") };
}
