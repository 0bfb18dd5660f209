using Tessera.Client;

namespace Tessera.Cli;

/// <summary>Turns expected failures into one clear line on stderr and a non-zero exit code, without a stack trace.</summary>
internal static class CliErrors
{
    public static async Task<int> RunAsync(Func<Task<int>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await Console.Error.WriteLineAsync("tessera: cancelled.").ConfigureAwait(false);
            return 130;
        }
        catch (AuthenticationException ex)
        {
            await Console.Error.WriteLineAsync($"tessera: {ex.Message}. Log in again with tessera login.").ConfigureAwait(false);
            return 1;
        }
        catch (Exception ex) when (ex is TesseraException or IOException or InvalidDataException or ArgumentException or FormatException
            or UnauthorizedAccessException or InvalidOperationException)
        {
            await Console.Error.WriteLineAsync($"tessera: {ex.Message}").ConfigureAwait(false);
            return 1;
        }
    }
}
