namespace Pagebox.Server.Hosting;

/// <summary>The world face's bearer key: given by --admin-key, or generated once and kept in the store.</summary>
public sealed class AdminKey(string value)
{
    public string Value => value;

    public bool Matches(string candidate) => Graph.GraphAuth.FixedEquals(candidate, value);
}
