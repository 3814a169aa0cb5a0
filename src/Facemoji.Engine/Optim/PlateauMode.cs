namespace Facemoji.Engine.Optim;

/// <summary>Whether the watched metric improves by going down (a loss) or up (an accuracy).</summary>
public enum PlateauMode
{
    Min,
    Max,
}
