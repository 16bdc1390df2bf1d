namespace Pagebox.Contracts;

/// <summary>GET /{PAGE-ID}/thread_owner: <c>{"data":[{"thread_owner":{"app_id":"…"}}]}</c>, empty data when no app owns the thread.</summary>
public sealed record ThreadOwnerItem(ThreadOwnerApp ThreadOwner);

public sealed record ThreadOwnerApp(string AppId);
