using System.Buffers.Binary;

namespace Facemoji.Imaging.Formats.Jpeg;

/// <summary>
/// What we read from the JPEG segments ourselves before libjpeg-turbo decodes: the EXIF orientation
/// (APP1 "Exif", IFD0 tag 0x0112, either byte order) and whether an Adobe APP14 marker is present
/// (then 4-component data is stored inverted, as Photoshop writes it). Stops at the first scan (SOS).
/// Malformed EXIF is ignored (orientation 1): it never stops an otherwise readable image.
/// <see cref="MinimumBlocks"/> counts the 8x8 blocks the frame header (SOF) implies: each costs at least one bit of
/// entropy-coded data (its DC code), so a file smaller than that is truncated or lies about its size (0: no SOF seen).
/// </summary>
internal readonly record struct JpegMarkers(
    int Orientation, bool HasAdobeMarker, long MinimumBlocks, int FrameWidth, int FrameHeight, int FrameComponents, int FramePrecision, byte FrameMarker)
{
    public static ReadOnlySpan<byte> StartOfImage => [0xFF, 0xD8, 0xFF];

    public static JpegMarkers Read(ReadOnlySpan<byte> data)
    {
        int orientation = 1;
        bool adobe = false;
        long blocks = 0;
        int frameWidth = 0, frameHeight = 0, frameComponents = 0, framePrecision = 0;
        byte frameMarker = 0;
        int position = 2;
        while (position + 4 <= data.Length)
        {
            if (data[position] != 0xFF)
            {
                break;
            }

            byte marker = data[position + 1];
            if (marker == 0xFF)
            {
                position++; // fill byte
                continue;
            }

            if (marker is 0xD8 or 0x01 || marker is >= 0xD0 and <= 0xD7)
            {
                position += 2; // markers without a length
                continue;
            }

            if (marker is 0xDA or 0xD9)
            {
                break;
            }

            int length = BinaryPrimitives.ReadUInt16BigEndian(data[(position + 2)..]);
            if (length < 2 || position + 2 + length > data.Length)
            {
                break;
            }

            ReadOnlySpan<byte> payload = data.Slice(position + 4, length - 2);
            if (marker == 0xE1 && payload.StartsWith("Exif\0\0"u8))
            {
                orientation = ReadOrientation(payload[6..]);
            }
            else if (marker == 0xEE && payload.StartsWith("Adobe"u8))
            {
                adobe = true;
            }
            else if (marker is >= 0xC0 and <= 0xCF && marker is not (0xC4 or 0xC8 or 0xCC) && blocks == 0)
            {
                blocks = CountBlocks(payload);
                frameMarker = marker;
                if (payload.Length >= 6)
                {
                    framePrecision = payload[0];
                    frameHeight = BinaryPrimitives.ReadUInt16BigEndian(payload[1..]);
                    frameWidth = BinaryPrimitives.ReadUInt16BigEndian(payload[3..]);
                    frameComponents = payload[5];
                }
            }

            position += 2 + length;
        }

        return new JpegMarkers(orientation, adobe, blocks, frameWidth, frameHeight, frameComponents, framePrecision, frameMarker);
    }

    /// <summary>Blocks of all components from a SOF payload: precision, height, width, count, then (id, HxV, table) each.</summary>
    private static long CountBlocks(ReadOnlySpan<byte> sof)
    {
        if (sof.Length < 6)
        {
            return 0;
        }

        long height = BinaryPrimitives.ReadUInt16BigEndian(sof[1..]), width = BinaryPrimitives.ReadUInt16BigEndian(sof[3..]);
        int count = sof[5];
        if (count == 0 || sof.Length < 6 + 3 * count)
        {
            return 0;
        }

        int hMax = 1, vMax = 1;
        for (int c = 0; c < count; c++)
        {
            hMax = Math.Max(hMax, sof[6 + 3 * c + 1] >> 4);
            vMax = Math.Max(vMax, sof[6 + 3 * c + 1] & 15);
        }

        long total = 0;
        for (int c = 0; c < count; c++)
        {
            int h = Math.Max(1, sof[6 + 3 * c + 1] >> 4), v = Math.Max(1, sof[6 + 3 * c + 1] & 15);
            long componentWidth = (width * h + hMax - 1) / hMax, componentHeight = (height * v + vMax - 1) / vMax;
            total += (componentWidth + 7) / 8 * ((componentHeight + 7) / 8);
        }

        return total;
    }

    /// <summary>Reads tag 0x0112 from IFD0 of a TIFF structure; 1 when absent or malformed.</summary>
    internal static int ReadOrientation(ReadOnlySpan<byte> tiff)
    {
        if (tiff.Length < 8)
        {
            return 1;
        }

        bool little;
        if (tiff[0] == 'I' && tiff[1] == 'I')
        {
            little = true;
        }
        else if (tiff[0] == 'M' && tiff[1] == 'M')
        {
            little = false;
        }
        else
        {
            return 1;
        }

        if (U16(tiff[2..], little) != 42)
        {
            return 1;
        }

        uint ifd = U32(tiff[4..], little);
        if (ifd < 8 || ifd > tiff.Length - 2)
        {
            return 1;
        }

        int count = U16(tiff[(int)ifd..], little);
        for (int i = 0; i < count; i++)
        {
            long entry = ifd + 2 + 12L * i;
            if (entry + 12 > tiff.Length)
            {
                return 1;
            }

            ReadOnlySpan<byte> e = tiff.Slice((int)entry, 12);
            if (U16(e, little) == 0x0112)
            {
                int type = U16(e[2..], little);
                int value = type == 3 ? U16(e[8..], little) : type == 4 ? (int)Math.Min(U32(e[8..], little), 9) : 0;
                return value is >= 1 and <= 8 ? value : 1;
            }
        }

        return 1;
    }

    private static int U16(ReadOnlySpan<byte> b, bool little) =>
        little ? BinaryPrimitives.ReadUInt16LittleEndian(b) : BinaryPrimitives.ReadUInt16BigEndian(b);

    private static uint U32(ReadOnlySpan<byte> b, bool little) =>
        little ? BinaryPrimitives.ReadUInt32LittleEndian(b) : BinaryPrimitives.ReadUInt32BigEndian(b);
}
