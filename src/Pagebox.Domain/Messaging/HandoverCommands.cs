using Pagebox.Domain.Errors;
using Pagebox.Domain.Model;
using Pagebox.Domain.Store;
using Pagebox.Domain.Webhooks;

namespace Pagebox.Domain.Messaging;

/// <summary>
/// The handover protocol (docs/spec/send-api.md §9): per conversation an optional thread owner app. No owner (the
/// default) means every subscribed app acts as without handover. Pagebox has no app roles: any app with a Page token
/// may take control.
/// </summary>
public static class HandoverCommands
{
    /// <summary>The Page Inbox, a valid target that is no Pagebox app (it receives no webhooks).</summary>
    public const string PageInboxAppId = "263902037430900";

    public const int MaxMetadataLength = 1000;

    /// <summary>pass_thread_control: the caller (owner, or anyone while nobody owns it) hands the thread to the
    /// target.</summary>
    public static DomainError? Pass(IStoreSession s, ThreadControlCall call, string? targetAppId)
    {
        var (page, callerAppId, psid, metadata, _) = call;
        if (Check(s, page, psid, metadata) is { } error)
            return error;
        if (string.IsNullOrEmpty(targetAppId))
            return DomainError.Missing("target_app_id");
        if (targetAppId != PageInboxAppId && s.GetPageTokenFor(page.Id, targetAppId) is null)
            return DomainError.Invalid(
                "target_app_id",
                $"Param target_app_id must be an app with access to this Page or the Page Inbox ({PageInboxAppId}): "
                    + $"{targetAppId}"
            );
        var owner = s.GetThreadOwner(page.Id, psid!);
        if (owner is not null && owner != callerAppId)
            return NotOwner("pass");
        s.Apply(new SaveThreadOwner(page.Id, psid!, targetAppId));
        Tell(s, call, targetAppId, HandoverEvent.Pass, callerAppId, targetAppId, null);
        return null;
    }

    /// <summary>take_thread_control: the caller becomes owner; the previous owner (if another app) is told.</summary>
    public static DomainError? Take(IStoreSession s, ThreadControlCall call)
    {
        var (page, callerAppId, psid, metadata, _) = call;
        if (Check(s, page, psid, metadata) is { } error)
            return error;
        var owner = s.GetThreadOwner(page.Id, psid!);
        if (owner == callerAppId)
            return null;
        s.Apply(new SaveThreadOwner(page.Id, psid!, callerAppId));
        if (owner is not null)
            Tell(s, call, owner, HandoverEvent.Take, owner, callerAppId, null);
        return null;
    }

    /// <summary>request_thread_control: the owner is asked to pass the thread to the caller; nothing changes.</summary>
    public static DomainError? Request(IStoreSession s, ThreadControlCall call)
    {
        var (page, callerAppId, psid, metadata, _) = call;
        if (Check(s, page, psid, metadata) is { } error)
            return error;
        var owner = s.GetThreadOwner(page.Id, psid!);
        if (owner is null)
            return DomainError.Invalid(
                "recipient",
                "Cannot request thread control for this recipient: no app controls the thread"
            );
        if (owner == callerAppId)
            return DomainError.Invalid(
                "recipient",
                "Cannot request thread control for this recipient: your app already controls the thread"
            );
        Tell(s, call, owner, HandoverEvent.Request, null, null, callerAppId);
        return null;
    }

    /// <summary>Records the handover webhook of a call for the one app it concerns.</summary>
    private static void Tell(
        IStoreSession s,
        ThreadControlCall call,
        string toAppId,
        string kind,
        string? previousOwner,
        string? newOwner,
        string? requestedOwner
    ) =>
        WebhookFanout.RecordFor(
            s,
            call.Page,
            toAppId,
            new HandoverEvent(
                call.Page.Id,
                call.Psid!,
                call.Now,
                kind,
                previousOwner,
                newOwner,
                requestedOwner,
                call.Metadata,
                call.Page.Platform
            )
        );

    /// <summary>extend_thread_control may give the owner at most 7 days (Meta's conversation routing docs).</summary>
    public static readonly TimeSpan MaxExtension = TimeSpan.FromDays(7);

    /// <summary>
    /// extend_thread_control: only the owner, with <c>duration</c> in seconds, 1 s to 7 days. Pagebox's thread control
    /// never lapses on its own (no idle threads), so an accepted extension changes nothing else.
    /// </summary>
    public static DomainError? Extend(
        IStoreReader s,
        PageRecord page,
        string callerAppId,
        string? psid,
        long? durationSeconds
    )
    {
        if (Check(s, page, psid, null) is { } error)
            return error;
        if (durationSeconds is not { } seconds)
            return DomainError.Missing("duration");
        if (seconds < 1 || seconds > (long)MaxExtension.TotalSeconds)
            return DomainError.Invalid(
                "duration",
                $"Param duration must be between 1 and {(long)MaxExtension.TotalSeconds} seconds (7 days)"
            );
        if (s.GetThreadOwner(page.Id, psid!) != callerAppId)
            return NotOwner("extend");
        return null;
    }

    /// <summary>
    /// The Send API's <c>thread_control</c>: checked before the message goes out (a bad target refuses the whole send
    /// and sends nothing), applied after it, as a pass from the sending app.
    /// </summary>
    public static DomainError? CheckSendThreadControl(SendCommand cmd, PageToken? targetToken)
    {
        if (cmd.ThreadControl is not { } tc)
            return null;
        if (cmd.Recipient is not PsidRecipient)
            return DomainError.Invalid("thread_control", "Param thread_control can only be sent to recipient[id]");
        var target = tc.AppId ?? PageInboxAppId;
        return target != PageInboxAppId && targetToken is null
            ? DomainError.Invalid(
                "thread_control[app_id]",
                $"Param thread_control[app_id] must be an app with access to this Page or the Page Inbox ("
                    + $"{PageInboxAppId}): {target}"
            )
            : null;
    }

    public static void ApplySendThreadControl(IStoreSession s, PageRecord page, SendCommand cmd, DateTimeOffset now)
    {
        if (cmd.ThreadControl is not { } tc || cmd.Recipient is not PsidRecipient { Psid: var psid })
            return;
        var target = tc.AppId ?? PageInboxAppId;
        s.Apply(new SaveThreadOwner(page.Id, psid, target));
        Tell(
            s,
            new ThreadControlCall(page, cmd.AppId, psid, null, now),
            target,
            HandoverEvent.Pass,
            cmd.AppId,
            target,
            null
        );
    }

    /// <summary>release_thread_control: only the owner may release; the thread then has no owner.</summary>
    public static DomainError? Release(IStoreSession s, PageRecord page, string callerAppId, string? psid)
    {
        if (Check(s, page, psid, null) is { } error)
            return error;
        if (s.GetThreadOwner(page.Id, psid!) != callerAppId)
            return NotOwner("release");
        s.Apply(new SaveThreadOwner(page.Id, psid!, null));
        return null;
    }

    /// <summary>thread_owner: the owner's app id, null when no app owns the thread.</summary>
    public static Result<ThreadOwner> Owner(IStoreReader s, PageRecord page, string? psid) =>
        Check(s, page, psid, null) is { } error ? error : new ThreadOwner(s.GetThreadOwner(page.Id, psid!));

    /// <summary>The refusal of a call only the thread's owner may make: <paramref name="verb"/> names it (pass,
    /// extend, release).</summary>
    private static DomainError NotOwner(string verb) =>
        new(DomainErrorKind.NotThreadOwner, null, $"Only the app that controls the thread can {verb} thread control");

    private static DomainError? Check(IStoreReader s, PageRecord page, string? psid, string? metadata)
    {
        if (string.IsNullOrEmpty(psid))
            return DomainError.Missing("recipient");
        if (s.GetConversationByPsid(psid) is not { } conversation || conversation.PageId != page.Id)
            return DomainError.Of(DomainErrorKind.UnknownRecipient);
        if (metadata is not null && MessageContentRule.Length(metadata) > MaxMetadataLength)
            return DomainError.Invalid(
                "metadata",
                $"Length of param metadata must be less than or equal to {MaxMetadataLength}"
            );
        return null;
    }
}

/// <summary>Who owns a thread: an app's id, or null when no app does.</summary>
public sealed record ThreadOwner(string? AppId);

/// <summary>A thread-control call of an app on a thread of the Page: the PSID as the request named it (checked by
/// each command) and the metadata it passes along.</summary>
public sealed record ThreadControlCall(
    PageRecord Page,
    string CallerAppId,
    string? Psid,
    string? Metadata,
    DateTimeOffset Now
);
