namespace Pagebox.Domain.Messaging;

/// <summary>
/// The documented limits of the generic, button, media, image grid and customer feedback templates and their buttons
/// (docs/spec/send-api.md §2.6–2.7, §2.9; Meta's customer-feedback-template page; the image grid template of
/// 2026-06-30). Lengths count characters (<see cref="MessageContentRule.Length"/>). Server's TemplateLimits reads the
/// template's JSON against these.
/// </summary>
public static class TemplateRules
{
    /// <summary>The button types of the generic, button and media templates.</summary>
    public static readonly IReadOnlyList<string> ButtonTypes =
    [
        "web_url",
        "postback",
        "phone_number",
        "account_link",
        "account_unlink",
        "game_play",
    ];

    /// <summary>The image grid allows only URL and postback buttons (and taps).</summary>
    public static readonly IReadOnlyList<string> GridButtonTypes = ["web_url", "postback"];

    /// <summary>A media template element shows an image or a video.</summary>
    public static readonly IReadOnlyList<string> MediaTypes = ["image", "video"];

    public const int MaxButtons = 3;
    public const int MaxButtonTitleLength = 20;
    public const int MaxUrlLength = 2000;
    public const int MaxPayloadLength = 1000;

    /// <summary>Generic template: 1 to 10 elements, each a title (required) and a subtitle of at most 80.</summary>
    public const int MaxGenericElements = 10;

    public const int MaxElementTitleLength = 80;
    public const int MaxElementSubtitleLength = 80;

    /// <summary>Button template: a text of at most 640 and 1 to 3 buttons.</summary>
    public const int MaxButtonTemplateTextLength = 640;

    /// <summary>Image grid: one element with 2 to 6 images, at most one hero, a title of 45 and a subtitle of
    /// 80.</summary>
    public const int MinGridImages = 2;

    public const int MaxGridImages = 6;
    public const int MaxGridTitleLength = 45;
    public const int MaxGridSubtitleLength = 80;

    /// <summary>Customer feedback: title 65, subtitle 80, button_title 20, all required.</summary>
    public const int MaxFeedbackTitleLength = 65;

    public const int MaxFeedbackSubtitleLength = 80;
    public const int MaxFeedbackButtonTitleLength = 20;

    /// <summary>A feedback question's id: letters, digits and underscores, at most 80.</summary>
    public const int MaxQuestionIdLength = 80;

    /// <summary>A feedback question's optional title: 5 to 85.</summary>
    public const int MinQuestionTitleLength = 5;

    public const int MaxQuestionTitleLength = 85;
    public const int MaxFollowUpPlaceholderLength = 65;

    /// <summary>expires_in_days of a feedback template: 1 to 7.</summary>
    public const int MinExpiresInDays = 1;

    public const int MaxExpiresInDays = 7;

    /// <summary>The question types and the score options each allows (free_form: none).</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> ScoreOptions = new Dictionary<
        string,
        IReadOnlyList<string>
    >(StringComparer.Ordinal)
    {
        // The page lists "one_to_five" under Score Types and "1_to_5" in its properties table: both are accepted.
        ["csat"] = ["one_to_five", "1_to_5", "five_stars", "five_emojis"],
        ["nps"] = ["zero_to_ten"],
        ["ces"] = ["one_to_seven"],
        ["free_form"] = [],
    };

    public static readonly IReadOnlyList<string> ScoreLabels =
    [
        "neg_pos",
        "hard_easy",
        "dis_sat",
        "unlike_like",
        "poor_great",
        "none",
    ];

    /// <summary>The one follow-up type of a question.</summary>
    public static readonly IReadOnlyList<string> FollowUpTypes = ["free_form"];

    public static bool IsQuestionId(string id) => id.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    public static bool IsExpiresInDays(int days) => days is >= MinExpiresInDays and <= MaxExpiresInDays;
}
