namespace Pagebox.Contracts;

/// <summary>GET /{PAGE-ID}/thread_owner: <c>{"data":[{"thread_owner":{"app_id":"…"}}]}</c>, empty data when no app owns
/// the thread.</summary>
/// <param name="ThreadOwner">The app that owns the thread.</param>
public sealed record ThreadOwnerItem(ThreadOwnerApp ThreadOwner);

/// <summary>The thread owner of <see cref="ThreadOwnerItem"/>.</summary>
/// <param name="AppId">The owning app's id.</param>
public sealed record ThreadOwnerApp(string AppId);
