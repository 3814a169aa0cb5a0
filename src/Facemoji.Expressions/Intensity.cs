namespace Facemoji.Expressions;

/// <summary>How strongly an expression shows; each emotion has a mild, a clear and a strong emoji.</summary>
public enum Intensity
{
    Mild = 0,
    Clear = 1,
    Strong = 2,
}
