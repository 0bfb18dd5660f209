using System.CommandLine;
using System.CommandLine.Parsing;

namespace Tessera.Cli;

/// <summary>Options shared by the network verbs, with validators that name the option and the bad value.</summary>
internal static class CliOptions
{
    public static Option<string> Url(string name, string description, bool required = true)
    {
        var option = new Option<string>(name) { Description = description, Required = required };
        option.Validators.Add(r =>
        {
            var value = r.GetValueOrDefault<string?>();
            if (value is not null && ToUri(value) is null)
            {
                r.AddError($"{name} must be an absolute http or https URL without credentials, got '{value}'.");
            }
        });
        return option;
    }

    public static Option<string> NodeUrl() =>
        Url("--node", "The domain node's URL, such as http://127.0.0.1:5100.");

    public static Option<int> Port(bool required = true)
    {
        var option = new Option<int>("--port") { Description = "The TCP port to listen on (1 to 65535).", Required = required };
        option.Validators.Add(r =>
        {
            if (TryGet(r, option, out var port) && port is < 1 or > 65535)
            {
                r.AddError($"--port must be between 1 and 65535, got {port}.");
            }
        });
        return option;
    }

    public static Option<string> Email(string name, string description, bool required)
    {
        var option = new Option<string>(name) { Description = description, Required = required };
        option.Validators.Add(r =>
        {
            var value = r.GetValueOrDefault<string?>();
            if (value is not null && (value.Length > 320 || value.IndexOf('@', StringComparison.Ordinal) is <= 0 || value.EndsWith('@')))
            {
                r.AddError($"{name} must be an email address such as owner@clinic.example, got '{value}'.");
            }
        });
        return option;
    }

    /// <summary>The URL as an absolute http(s) <see cref="Uri"/> without credentials, or null.</summary>
    public static Uri? ToUri(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            && string.IsNullOrEmpty(uri.UserInfo)
            ? uri
            : null;

    /// <summary>The option's value, or false when it did not convert (the parser reports that error itself).</summary>
    public static bool TryGet<T>(OptionResult result, Option<T> option, out T value)
    {
        try
        {
            value = result.GetValue(option)!;
            return true;
        }
        catch (InvalidOperationException)
        {
            value = default!;
            return false;
        }
    }
}
