using Pagebox.Domain.Campaigns;

namespace Pagebox.Server.Errors;

/// <summary>
/// The Marketing Messages API for Messenger's errors, as its API reference lists them ("API Errors": code and
/// description). The number is the top-level <c>code</c> (the integrations that handle these errors read
/// <c>error.code</c>); the message is the documented description, prefixed "(#code) " like every Graph API error.
/// Part of <see cref="GraphErrors"/>: the only other file that knows Graph codes.
/// </summary>
internal static class PaidMarketingErrors
{
    private const string OAuth = "OAuthException";

    public static GraphErrorShape Shape(PaidMarketingReason reason, string? detail)
    {
        var (code, message) = Of(reason);
        return new GraphErrorShape(
            400,
            OAuth,
            code,
            null,
            $"(#{code}) {message}{(detail is null ? "" : $" ({detail})")}"
        );
    }

    public static (int Code, string Message) Of(PaidMarketingReason reason) =>
        reason switch
        {
            PaidMarketingReason.InactiveCampaign => (
                2300000,
                "You cannot send a message unless the message campaign under which the message exists is active."
            ),
            PaidMarketingReason.InvalidMessageId => (
                2300001,
                "The message ID you supplied is invalid. The message with this ID either does not exist, or you do "
                    + "not have the permission to load it."
            ),
            PaidMarketingReason.InvalidSubscriptionToken => (
                2300004,
                "The subscription token you passed in could not be loaded. This could be because the token id you "
                    + "passed was invalid - or you may not have permissions to load it."
            ),
            PaidMarketingReason.PageIdMismatch => (
                2300005,
                "The page id behind your message does not match the page id on the messenger subscription token. "
                    + "Pages can only message their own subscribers."
            ),
            PaidMarketingReason.AdAccountMismatch => (
                2300014,
                "The ad account associated with the message campaign does not match the ad account associated with "
                    + "the request."
            ),
            PaidMarketingReason.BidTooLow => (2300016, "The bid amount is too low. Please increase the bid amount."),
            PaidMarketingReason.VideoWithoutVideoId => (
                2300021,
                "When media_type is 'video', a video_id must be provided."
            ),
            PaidMarketingReason.ImageWithoutImageUrl => (
                2300022,
                "When media_type is 'image', an image_url must be provided."
            ),
            PaidMarketingReason.InvalidButtonType => (
                2300023,
                "The button type is invalid. Valid button types are: web_url."
            ),
            PaidMarketingReason.EmptyButtonUrl => (2300024, "Button URL cannot be empty when provided."),
            PaidMarketingReason.EmptyButtonTitle => (2300025, "Button title cannot be empty."),
            PaidMarketingReason.TooManyButtons => (
                2300026,
                "Too many buttons provided. Maximum of 3 buttons are allowed per message."
            ),
            PaidMarketingReason.AttachmentOfAnotherPage => (
                2300027,
                "The attachment cannot be reused because it was created by a different page."
            ),
            PaidMarketingReason.AdAccountRegion => (2300030, "The ad account is not in a supported region."),
            PaidMarketingReason.SubscriberRegion => (2300032, "The subscription token is not in a supported region."),
            PaidMarketingReason.CampaignNotStarted => (
                2300033,
                "The campaign start time is in the future. Please wait until the start time has passed before "
                    + "sending messages."
            ),
            PaidMarketingReason.SubscriberStopped => (
                2300034,
                "The subscriber has stopped marketing messages subscription."
            ),
            PaidMarketingReason.TooSoon => (
                2300035,
                "The minimum delay between messages has not been reached. Please wait until the minimum delay has "
                    + "passed before sending the next message."
            ),
            PaidMarketingReason.TokenExpired => (
                2300037,
                "The subscription token has expired, and can no longer be used to send a message."
            ),
            PaidMarketingReason.UnresolvedPlaceholder => (
                2300038,
                "Unable to resolve one or more placeholders in the message creative/payload."
            ),
            PaidMarketingReason.CampaignNotReady => (
                2300041,
                "The campaign is not ready for message delivery. Please try again later."
            ),
            PaidMarketingReason.WeeklyCap => (
                2300042,
                "The recipient can't receive any more marketing messages at this time. WEEKLY_MM_LOAD_CAP_REACHED"
            ),
            PaidMarketingReason.DailyCap => (
                2300043,
                "The recipient can't receive any more marketing messages at this time. DAILY_MM_LOAD_CAP_REACHED"
            ),
            PaidMarketingReason.MinOrganicThreads => (
                2300044,
                "The recipient can't receive any more marketing messages at this time. MIN_ORGANIC_THREAD_NOT_REACHED"
            ),
            PaidMarketingReason.ImageUrlsInCarousel => (
                2300046,
                "Multiple image URLs are not supported in carousel format. Use single image URLs for each carousel "
                    + "element instead."
            ),
            PaidMarketingReason.SingleAndMultipleImages => (
                2300047,
                "Message param cannot contain both multiple images and single image parameters. Please use only one "
                    + "image format."
            ),
            PaidMarketingReason.MultipleHeroImages => (
                2300048,
                "Only one hero image is allowed in the message param. Please mark only one image as the hero image."
            ),
            PaidMarketingReason.RecipientUnavailable => (2300052, "This person is not available right now."),
            PaidMarketingReason.LifetimeBudgetReached => (
                2300053,
                "This campaign has reached its lifetime budget, so your message couldn't be sent. Increase the "
                    + "lifetime budget or create a new campaign to continue."
            ),
            PaidMarketingReason.DailyBudgetReached => (
                2300054,
                "This campaign has reached its daily budget, so your message couldn't be sent today. It will resume "
                    + "tomorrow, or you can increase the daily budget to send more messages per day."
            ),
            PaidMarketingReason.PacingLimit => (
                2300055,
                "Your message couldn't be sent right now. Come back and try again in about 30 minutes."
            ),
            PaidMarketingReason.AccountSpendLimit => (
                2300056,
                "Your account has reached its total spending limit, so your message couldn't be sent. Increase or "
                    + "reset your spending limit in payment settings (and add funds if you use prepaid)."
            ),
            PaidMarketingReason.PrepaidBalanceDepleted => (
                2300058,
                "Your prepaid balance has run out, so your message couldn't be sent. Add funds to your account to "
                    + "continue."
            ),
            PaidMarketingReason.PageIdRequired => (
                2300065,
                "The page ID is required but was not provided in the request."
            ),
            _ => (1, "An unknown error occurred"),
        };
}
