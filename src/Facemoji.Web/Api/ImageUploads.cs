using System.Buffers;
using Facemoji.Imaging;
using Microsoft.AspNetCore.Http;

namespace Facemoji.Web.Api;

/// <summary>
/// Reads an image from a request (the raw body, or the first file of a multipart form) within the limits,
/// and decodes it. Every refusal is an <see cref="ApiProblem"/>: 413 for size, 415 for a format we do not
/// read, 422 for an image that is broken, 400 for a request without an image.
/// </summary>
internal static class ImageUploads
{
    public static async Task<(byte[] Bytes, string Name)> ReadAsync(HttpRequest request, ServerLimits limits, CancellationToken cancel)
    {
        if (request.ContentLength > limits.MaxRequestBytes)
        {
            throw TooLarge(request.ContentLength.Value, limits);
        }

        // Only multipart is a form here: curl --data-binary labels raw bytes as url-encoded, and they are still an image.
        if (request.ContentType?.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase) == true)
        {
            IFormCollection form;
            try
            {
                form = await request.ReadFormAsync(cancel);
            }
            catch (InvalidDataException ex)
            {
                throw new ApiProblem(StatusCodes.Status400BadRequest, $"the multipart form could not be read: {ex.Message}");
            }
            catch (IOException ex) when (!request.HttpContext.RequestAborted.IsCancellationRequested)
            {
                // A body that ends inside a part or never closes the boundary.
                throw new ApiProblem(StatusCodes.Status400BadRequest, $"the multipart form is malformed ({ex.Message.Split('.')[0].Trim()}); send it as curl -F image=@photo.jpg does");
            }

            IFormFile file = (form.Files.Count > 0 ? form.Files[0] : null)
                ?? throw new ApiProblem(StatusCodes.Status400BadRequest, "the form has no file; send the image as a file field (e.g. curl -F image=@photo.jpg)");
            if (file.Length > limits.MaxRequestBytes)
            {
                throw TooLarge(file.Length, limits);
            }

            using var stream = new MemoryStream((int)file.Length);
            await file.CopyToAsync(stream, cancel);
            // The client's file name is only echoed in the JSON ("file"); it never names anything on disk.
            string name = Path.GetFileName(file.FileName.Replace('\\', '/'));
            return (stream.ToArray(), string.IsNullOrWhiteSpace(name) ? "upload" : name);
        }

        byte[] body = await ReadBodyAsync(request.Body, request.ContentLength, limits, cancel);
        if (body.Length == 0)
        {
            throw NoBody();
        }

        return (body, "upload");
    }

    /// <summary>
    /// <see cref="ReadAsync"/> for a body that is only read while the request runs (an analysis): a raw body of a
    /// declared length up to <see cref="MaxPooledBytes"/> is read into a buffer rented from the shared pool instead
    /// of a new one; dispose the result to give it back. A photo's bytes are a large-object allocation, and at many
    /// requests a second those soon cost a full collection each.
    /// </summary>
    public static async Task<PooledUpload> ReadPooledAsync(HttpRequest request, ServerLimits limits, CancellationToken cancel)
    {
        bool multipart = request.ContentType?.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase) == true;
        if (multipart || request.ContentLength is not (> 0 and <= MaxPooledBytes) || request.ContentLength > limits.MaxRequestBytes)
        {
            var (bytes, name) = await ReadAsync(request, limits, cancel);
            return new PooledUpload(bytes, bytes.Length, name, pooled: false);
        }

        int declared = (int)request.ContentLength.Value;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(declared);
        try
        {
            int filled = await FillAsync(request.Body, buffer.AsMemory(0, declared), cancel);
            if (filled == 0)
            {
                throw NoBody();
            }

            return new PooledUpload(buffer, filled, "upload", pooled: true);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    /// <summary>Raw bodies up to this size are read into pooled buffers (<see cref="ReadPooledAsync"/>); larger ones get their own.</summary>
    public const int MaxPooledBytes = 2 * 1024 * 1024;

    /// <summary>
    /// Reads the size from the header only and refuses an image over the server's pixel limit before anything is
    /// decoded; returns its pixel count (what it will reserve of the server's budget). A header that cannot be
    /// read is left for <see cref="Decode"/> to report.
    /// </summary>
    public static long CheckSize(ReadOnlySpan<byte> bytes, string name, ServerLimits limits)
    {
        (int Width, int Height)? size;
        try
        {
            size = ImageCodecs.ReadSize(bytes, name);
        }
        catch (FacemojiException)
        {
            return 1;
        }

        if (size is not { } s)
        {
            return 1;
        }

        long pixels = (long)s.Width * s.Height;
        if (pixels > limits.MaxImagePixels)
        {
            throw new ApiProblem(
                StatusCodes.Status413PayloadTooLarge,
                $"{name}: {s.Width}x{s.Height} is over the limit of {limits.MaxImagePixels / 1_000_000.0:0.#} megapixels");
        }

        return pixels;
    }

    /// <summary>Decodes PNG, JPEG, WebP, GIF or BMP bytes, turning every problem into a 4xx <see cref="ApiProblem"/>.</summary>
    public static RgbaImage Decode(ReadOnlySpan<byte> bytes, string name, ServerLimits limits)
    {
        ImageFileFormat format = ImageCodecs.DetectFormat(bytes);
        if (!ImageCodecs.IsReadable(format))
        {
            string what = format == ImageFileFormat.Unknown ? "not an image format Facemoji knows" : ImageCodecs.Describe(format);
            throw new ApiProblem(StatusCodes.Status415UnsupportedMediaType, $"{name}: {what}; send a PNG, JPEG, WebP, GIF or BMP image");
        }

        CheckSize(bytes, name, limits);
        RgbaImage image;
        try
        {
            image = ImageCodecs.Decode(bytes, name);
        }
        catch (ImageFormatException ex) when (ex.Problem.Contains("megapixels", StringComparison.Ordinal) || ex.Problem.Contains("absurd", StringComparison.Ordinal) || ex.Problem.Contains("memory budget", StringComparison.Ordinal))
        {
            throw new ApiProblem(StatusCodes.Status413PayloadTooLarge, $"{ex.Message} (the server accepts at most {limits.MaxImagePixels / 1_000_000} megapixels)");
        }
        catch (ImageFormatException ex)
        {
            throw new ApiProblem(StatusCodes.Status422UnprocessableEntity, ex.Message);
        }

        if ((long)image.Width * image.Height > limits.MaxImagePixels)
        {
            throw new ApiProblem(
                StatusCodes.Status413PayloadTooLarge,
                $"{name}: {image.Width}x{image.Height} is over the limit of {limits.MaxImagePixels / 1_000_000} megapixels");
        }

        return image;
    }

    private static async Task<byte[]> ReadBodyAsync(Stream body, long? declaredLength, ServerLimits limits, CancellationToken cancel)
    {
        if (declaredLength is long n && n > 0)
        {
            // Sized from Content-Length (already checked against the limit): one buffer, no regrowth copies.
            byte[] declared = new byte[n];
            int filled = await FillAsync(body, declared, cancel);
            return filled == declared.Length ? declared : declared[..filled];
        }

        // No Content-Length (a chunked body): grow as it comes, up to the limit.
        using var buffer = new MemoryStream();
        byte[] chunk = new byte[81920];
        int read;
        while ((read = await body.ReadAsync(chunk, cancel)) > 0)
        {
            if (buffer.Length + read > limits.MaxRequestBytes)
            {
                throw TooLarge(null, limits);
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// Reads the body into <paramref name="buffer"/> until it is full or the body ends; returns the bytes read.
    /// Kestrel ends a body at its Content-Length, so a buffer of that length is never overrun.
    /// </summary>
    private static async Task<int> FillAsync(Stream body, Memory<byte> buffer, CancellationToken cancel)
    {
        int filled = 0, read;
        while (filled < buffer.Length && (read = await body.ReadAsync(buffer[filled..], cancel)) > 0)
        {
            filled += read;
        }

        return filled;
    }

    private static ApiProblem NoBody() => new(
        StatusCodes.Status400BadRequest,
        "the request has no body; send a PNG, JPEG, WebP, GIF or BMP image as the body or as a multipart file");

    private static ApiProblem TooLarge(long? bytes, ServerLimits limits) => new(
        StatusCodes.Status413PayloadTooLarge,
        $"the request body{(bytes is { } b ? $" of {b / 1048576.0:0.#} MB" : "")} is over the limit of {limits.MaxRequestBytes / 1048576.0:0.#} MB");
}
