using System.Text;

namespace Tessera.Cli;

/// <summary>Passwords from an environment variable or, on an interactive terminal, a prompt that does not echo.</summary>
internal static class CliSecrets
{
    public static bool CanPrompt => !Console.IsInputRedirected && !Console.IsErrorRedirected;

    /// <summary>The value of <paramref name="variable"/>; else, on a terminal, what the user types; else null.</summary>
    public static string? Resolve(string variable, string prompt)
    {
        var value = Environment.GetEnvironmentVariable(variable);
        if (!string.IsNullOrEmpty(value))
        {
            return value;
        }

        return CanPrompt ? ReadHidden(prompt) : null;
    }

    private static string ReadHidden(string prompt)
    {
        Console.Error.Write(prompt);
        var text = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                break;
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                if (text.Length > 0)
                {
                    text.Length--;
                }
            }
            else if (!char.IsControl(key.KeyChar))
            {
                text.Append(key.KeyChar);
            }
        }

        Console.Error.WriteLine();
        return text.ToString();
    }
}
