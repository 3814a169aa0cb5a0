using Facemoji.Vision.Cascades;

namespace Facemoji.Vision.Tests.Cascades;

/// <summary>
/// A cascade beside the program (cascades/NAME, where the NuGet tool and package put OpenCV's) is read before
/// Debian's copy, so an installed tool or a program using the package does not need opencv-data.
/// </summary>
public sealed class CascadeFilesTests
{
    [Fact]
    public void The_copy_beside_the_program_comes_before_the_system_one_and_the_system_one_is_the_fallback()
    {
        // A name of its own, so that no other test's cascade is shadowed while this one runs.
        string name = $"cascade-files-test-{Guid.NewGuid():N}.xml";
        string systemPath = Path.Combine("/usr/share/opencv4/haarcascades", name);
        string beside = Path.Combine(AppContext.BaseDirectory, CascadeFiles.FolderName, name);

        CascadeFiles.Locate(systemPath).Should().Be(systemPath);

        Directory.CreateDirectory(Path.GetDirectoryName(beside)!);
        File.WriteAllText(beside, "<opencv_storage/>");
        try
        {
            CascadeFiles.Locate(systemPath).Should().Be(beside);
        }
        finally
        {
            File.Delete(beside);
            if (!Directory.EnumerateFileSystemEntries(Path.GetDirectoryName(beside)!).Any())
            {
                Directory.Delete(Path.GetDirectoryName(beside)!);
            }
        }
    }
}
