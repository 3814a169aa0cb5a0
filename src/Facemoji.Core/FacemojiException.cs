namespace Facemoji.Core;

/// <summary>
/// An error meant for the person at the keyboard: its message names the input (a file, a row, a
/// parameter) and the problem. The CLI prints the message without a stack trace and exits non-zero;
/// anything that is not a <see cref="FacemojiException"/> is a bug.
/// </summary>
public class FacemojiException : Exception
{
    public FacemojiException(string message) : base(message) { }

    public FacemojiException(string message, Exception inner) : base(message, inner) { }
}
