namespace Pagebox.Server.Hosting;

/// <summary>The world face's bearer key: given by --admin-key, or generated once and kept in the store.</summary>
public sealed class AdminKey(string value)
{
    /// <summary>The key itself.</summary>
    public string Value => value;

    /// <summary>Whether <paramref name="candidate"/> is the key (compared in constant time).</summary>
    public bool Matches(string candidate) => Graph.GraphAuth.FixedEquals(candidate, value);
}
