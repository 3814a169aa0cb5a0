using Facemoji.Vision.Cascades;

namespace Facemoji.Vision.Tests.Cascades;

public sealed class CascadeLoadingTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("facemoji-cascade-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    public static TheoryData<string> DebianCascades()
    {
        var data = new TheoryData<string>();
        foreach (string folder in new[] { "/usr/share/opencv4/haarcascades", "/usr/share/opencv4/lbpcascades" })
        {
            foreach (string file in Directory.Exists(folder) ? Directory.GetFiles(folder, "*.xml").Order().ToArray() : [])
            {
                data.Add(file);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(DebianCascades))]
    [Trait("Category", "Slow")]
    public void Every_cascade_of_opencv_data_loads(string path)
    {
        CascadeClassifier cascade = CascadeClassifier.Load(path);
        cascade.StageCount.Should().BeGreaterThan(0);
        cascade.WindowWidth.Should().BeGreaterThan(0);
        cascade.SourcePath.Should().Be(path);
    }

    [Fact]
    public void Opencv_data_is_installed()
    {
        // make setup installs it; without it the agreement tests could not run.
        DebianCascades().Count.Should().BeGreaterThan(20, "Debian's opencv-data must be installed (apt-get install opencv-data)");
    }

    [Fact]
    public void The_default_cascade_is_the_24x24_haar_frontal_face_with_25_stump_stages()
    {
        CascadeClassifier cascade = CascadeClassifier.LoadDefault();
        cascade.FeatureType.Should().Be(CascadeFeatureType.Haar);
        (cascade.WindowWidth, cascade.WindowHeight).Should().Be((24, 24));
        cascade.StageCount.Should().Be(25);
        cascade.IsStumpBased.Should().BeTrue();
        cascade.HasTiltedFeatures.Should().BeFalse();
    }

    [Fact]
    public void Tilted_trees_lbp_and_the_old_format_are_recognised()
    {
        CascadeClassifier eyes = CascadeClassifier.Load("/usr/share/opencv4/haarcascades/haarcascade_eye_tree_eyeglasses.xml");
        eyes.HasTiltedFeatures.Should().BeTrue();
        eyes.IsStumpBased.Should().BeFalse();

        CascadeClassifier lbp = CascadeClassifier.Load("/usr/share/opencv4/lbpcascades/lbpcascade_frontalface_improved.xml");
        lbp.FeatureType.Should().Be(CascadeFeatureType.Lbp);

        CascadeClassifier plates = CascadeClassifier.Load("/usr/share/opencv4/haarcascades/haarcascade_licence_plate_rus_16stages.xml");
        (plates.WindowWidth, plates.WindowHeight).Should().Be((64, 16));
        plates.StageCount.Should().Be(16);
    }

    [Fact]
    public void A_missing_cascade_says_how_to_get_one()
    {
        string path = Path.Combine(directory, "nope.xml");
        Action load = () => CascadeClassifier.Load(path);
        load.Should().Throw<FacemojiException>()
            .Which.Message.Should().Contain(path).And.Contain("apt-get install opencv-data").And.Contain("--cascade PATH");
    }

    [Fact]
    public void A_device_is_refused_before_it_is_read()
    {
        Action load = () => CascadeClassifier.Load("/dev/zero");
        load.Should().Throw<FacemojiException>().WithMessage("Cannot read cascade file '/dev/zero': it is not a regular file (a FIFO, device or socket).");
    }

    [Fact]
    public void Broken_xml_names_the_file_and_the_line()
    {
        string path = Write("broken.xml", "<?xml version=\"1.0\"?>\n<opencv_storage>\n<cascade>\n  <stageType>BOOST</stageType>\n");
        Action load = () => CascadeClassifier.Load(path);
        load.Should().Throw<FacemojiException>().Which.Message.Should().Contain(path).And.Contain("not valid XML");
    }

    [Fact]
    public void An_unreadable_file_names_the_file()
    {
        string path = Path.Combine(directory, "a-directory.xml");
        Directory.CreateDirectory(path);
        File.Exists(path).Should().BeFalse();
        Action load = () => CascadeClassifier.Load(path);
        load.Should().Throw<FacemojiException>().Which.Message.Should().Contain(path);
    }

    [Theory]
    [InlineData("<opencv_storage><something/></opencv_storage>", "neither")]
    [InlineData("<opencv_storage><cascade><stageType>BOOST</stageType><featureType>HOG</featureType></cascade></opencv_storage>", "HOG")]
    [InlineData("<opencv_storage><cascade><stageType>BOOST</stageType><featureType>HAAR</featureType><height>24</height><width>24</width>" +
                "<featureParams><maxCatCount>0</maxCatCount></featureParams><stages><_><stageThreshold>0.5</stageThreshold><weakClassifiers><_>" +
                "<internalNodes>0 -1 7 0.1</internalNodes><leafValues>-1 1</leafValues></_></weakClassifiers></_></stages>" +
                "<features><_><rects><_>0 0 4 4 -1.</_><_>0 0 2 4 2.</_></rects></_></features></cascade></opencv_storage>", "feature 7")]
    [InlineData("<opencv_storage><cascade><stageType>BOOST</stageType><featureType>HAAR</featureType><height>24</height><width>24</width>" +
                "<featureParams><maxCatCount>0</maxCatCount></featureParams><stages><_><stageThreshold>0.5</stageThreshold><weakClassifiers><_>" +
                "<internalNodes>0 -1 0 0.1</internalNodes><leafValues>-1 1</leafValues></_></weakClassifiers></_></stages>" +
                "<features><_><rects><_>20 0 8 4 -1.</_><_>0 0 2 4 2.</_></rects></_></features></cascade></opencv_storage>", "outside the 24x24 window")]
    [InlineData("<opencv_storage><cascade><stageType>BOOST</stageType><featureType>HAAR</featureType><height>24</height><width>24</width>" +
                "<featureParams><maxCatCount>0</maxCatCount></featureParams><stages><_><stageThreshold>zero</stageThreshold></_></stages>" +
                "</cascade></opencv_storage>", "'zero' is not a number")]
    [InlineData("<opencv_storage><cascade><stageType>BOOST</stageType><featureType>HAAR</featureType><height>24</height><width>24</width>" +
                "<featureParams><maxCatCount>0</maxCatCount></featureParams><stages><_><stageThreshold>0.5</stageThreshold><weakClassifiers><_>" +
                "<internalNodes>0 -1 0 0.1</internalNodes><leafValues>-1 1 3</leafValues></_></weakClassifiers></_></stages>" +
                "<features><_><rects><_>0 0 4 4 -1.</_><_>0 0 2 4 2.</_></rects></_></features></cascade></opencv_storage>", "needs 2 leaves")]
    public void A_malformed_cascade_names_the_file_and_the_problem(string xml, string problem)
    {
        string path = Write("bad.xml", xml);
        Action load = () => CascadeClassifier.Load(path);
        load.Should().Throw<FacemojiException>().Which.Message.Should().Contain(path).And.Contain(problem);
    }

    [Fact]
    public void A_minimal_hand_written_cascade_loads_and_keeps_opencvs_threshold_epsilon()
    {
        string path = Write("tiny.xml",
            "<opencv_storage><cascade type_id=\"opencv-cascade-classifier\"><stageType>BOOST</stageType><featureType>HAAR</featureType>" +
            "<height>24</height><width>24</width><featureParams><maxCatCount>0</maxCatCount></featureParams><stages><_>" +
            "<stageThreshold>0.5</stageThreshold><weakClassifiers><_><internalNodes>0 -1 0 0.1</internalNodes><leafValues>-1 1</leafValues></_>" +
            "</weakClassifiers></_></stages><features><_><rects><_>0 0 4 4 -1.</_><_>0 0 2 4 2.</_></rects><tilted>0</tilted></_></features>" +
            "</cascade></opencv_storage>");
        CascadeClassifier cascade = CascadeClassifier.Load(path);
        cascade.StageThresholds.Should().Equal(0.5f - 1e-5f);
        cascade.HaarFeatures.Should().ContainSingle().Which.Rect1.Weight.Should().Be(2f);
    }

    private string Write(string name, string content)
    {
        string path = Path.Combine(directory, name);
        File.WriteAllText(path, content);
        return path;
    }
}
