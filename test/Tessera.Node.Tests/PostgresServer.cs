using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Npgsql;

namespace Tessera.Node.Tests;

/// <summary>
/// A private PostgreSQL server for this test run: initdb into a fresh temporary folder, started on a free loopback port
/// the first time a test asks for a database, and stopped (and its folder deleted) by a detached watchdog as soon as the
/// test process has ended, however it ended. Each caller gets its own database, so test classes stay independent when
/// they run in parallel; one server serves the whole test assembly.
/// </summary>
/// <remarks>
/// The binaries come from <c>TESSERA_PG_BIN</c>, else from <c>PATH</c>, else from the newest
/// <c>/usr/lib/postgresql/VERSION/bin</c> (Debian's layout). initdb refuses to run as root, so as root the server runs as
/// the <c>postgres</c> OS user (created by the Debian package) through <c>runuser</c>.
/// </remarks>
public static class PostgresServer
{
    private const string FolderPrefix = "tessera-pg-";
    private const string ServiceUser = "postgres";
    private static readonly Lock Gate = new();
    private static Server? _server;
    private static Exception? _failure;

    /// <summary>Seconds the last start took (initdb plus pg_ctl start), for reports; 0 before a start.</summary>
    public static double StartSeconds { get; private set; }

    /// <summary>Creates a new, empty database with a unique name and returns a connection string for it.</summary>
    public static string CreateDatabase()
    {
        var server = Start();
        var name = "tessera_" + Guid.NewGuid().ToString("N");
        lock (Gate)
        {
            using var connection = new NpgsqlConnection(server.ConnectionString("postgres"));
            connection.Open();
            using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            command.ExecuteNonQuery();
        }

        return server.ConnectionString(name);
    }

    private static Server Start()
    {
        lock (Gate)
        {
            if (_server is not null)
            {
                return _server;
            }

            // A failed start is not retried by every test class: they all report the first failure.
            if (_failure is not null)
            {
                throw new InvalidOperationException("The private PostgreSQL server for the tests failed to start earlier.", _failure);
            }

            try
            {
                RemoveStaleFolders();
                var stopwatch = Stopwatch.StartNew();
                var server = Server.Start();
                StartSeconds = stopwatch.Elapsed.TotalSeconds;
                _server = server;
                return server;
            }
            catch (Exception ex)
            {
                _failure = ex;
                throw;
            }
        }
    }

    /// <summary>Stops and deletes servers left behind by test processes that were killed before they could clean up.</summary>
    private static void RemoveStaleFolders()
    {
        foreach (var folder in Directory.EnumerateDirectories(Path.GetTempPath(), FolderPrefix + "*"))
        {
            try
            {
                var ownerFile = Path.Combine(folder, "owner.pid");
                if (File.Exists(ownerFile) && int.TryParse(File.ReadAllText(ownerFile), CultureInfo.InvariantCulture, out var pid) && IsAlive(pid))
                {
                    continue;
                }

                // Folders younger than a minute may belong to a process that is still writing its owner file.
                if (DateTime.UtcNow - Directory.GetCreationTimeUtc(folder) < TimeSpan.FromMinutes(1) && !File.Exists(ownerFile))
                {
                    continue;
                }

                Server.Open(folder).Stop();
            }
            catch (IOException)
            {
                // Another run is cleaning the same folder; leave it to that run.
            }
            catch (UnauthorizedAccessException)
            {
                // Someone else's folder: not ours to remove.
            }
        }
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private sealed class Server
    {
        private readonly string _root;
        private readonly string _bin;
        private readonly bool _asServiceUser;
        private int _port;
        private string _password = "";
        private bool _stopped;

        private Server(string root, string bin, bool asServiceUser)
        {
            _root = root;
            _bin = bin;
            _asServiceUser = asServiceUser;
        }

        private string DataFolder => Path.Combine(_root, "data");

        private string SocketFolder => Path.Combine(_root, "socket");

        private string LogFile => Path.Combine(_root, "server.log");

        public static Server Start()
        {
            var bin = FindBinaries();
            var asServiceUser = Environment.UserName == "root";
            if (asServiceUser && !File.ReadLines("/etc/passwd").Any(l => l.StartsWith(ServiceUser + ":", StringComparison.Ordinal)))
            {
                throw new InvalidOperationException(
                    $"The tests run as root, and initdb refuses root, but there is no '{ServiceUser}' OS user to run PostgreSQL as. "
                    + "Install PostgreSQL with apt-get (./test.sh does), which creates it, or run the tests as another user.");
            }

            var root = Path.Combine(Path.GetTempPath(), FolderPrefix + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(root);
            File.WriteAllText(Path.Combine(root, "owner.pid"), Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
            var server = new Server(root, bin, asServiceUser);
            try
            {
                server.StartWatchdog();
                server.InitializeAndStart();
                return server;
            }
            catch
            {
                server.Stop();
                throw;
            }
        }

        /// <summary>A handle on a folder left by another process, for <see cref="Stop"/> only.</summary>
        public static Server Open(string root) => new(root, FindBinaries(), Environment.UserName == "root");

        public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = _port,
            Username = ServiceUser,
            Password = _password,
            Database = database,
            Timeout = 30,
        }.ConnectionString;

        public void Stop()
        {
            if (_stopped)
            {
                return;
            }

            _stopped = true;
            if (File.Exists(Path.Combine(DataFolder, "postmaster.pid")))
            {
                RunServer("pg_ctl", throwOnFailure: false, "stop", "-D", DataFolder, "-m", "immediate", "-w", "-t", "30");
            }

            try
            {
                Directory.Delete(_root, recursive: true);
            }
            catch (IOException)
            {
                // Left for the next run's stale-folder sweep.
            }
        }

        /// <summary>
        /// Starts a detached shell that waits for this process to end, however it ends (the test host may be killed as soon
        /// as the run is over, too early for ProcessExit handlers), then stops the server and deletes its folder.
        /// </summary>
        private void StartWatchdog()
        {
            const string Script = """
                exec </dev/null >/dev/null 2>&1
                while kill -0 "$1" 2>/dev/null; do sleep 0.5; done
                if [ -f "$3/postmaster.pid" ]; then
                  if [ -n "$5" ]; then runuser -u "$5" -- "$4" stop -D "$3" -m immediate -w -t 30; else "$4" stop -D "$3" -m immediate -w -t 30; fi
                fi
                rm -rf "$2"
                """;
            var start = new ProcessStartInfo("setsid") { UseShellExecute = false, WorkingDirectory = _root };
            foreach (var argument in new[]
            {
                "sh", "-c", Script, "tessera-pg-watchdog", Environment.ProcessId.ToString(CultureInfo.InvariantCulture), _root, DataFolder,
                Path.Combine(_bin, "pg_ctl"), _asServiceUser ? ServiceUser : "",
            })
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the PostgreSQL watchdog (setsid sh).");
        }

        private void InitializeAndStart()
        {
            if (_asServiceUser)
            {
                // The data folder must belong to the user the server runs as.
                Run("chown", throwOnFailure: true, ServiceUser + ":", _root);
            }

            _password = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
            var passwordFile = Path.Combine(_root, "password");
            File.WriteAllText(passwordFile, _password + "\n");
            if (_asServiceUser)
            {
                Run("chown", throwOnFailure: true, ServiceUser + ":", passwordFile);
            }

            Directory.CreateDirectory(SocketFolder);
            if (_asServiceUser)
            {
                Run("chown", throwOnFailure: true, ServiceUser + ":", SocketFolder);
            }

            RunServer("initdb", throwOnFailure: true, "-D", DataFolder, "-U", ServiceUser, "--pwfile", passwordFile, "--auth", "scram-sha-256",
                "--encoding", "UTF8", "--no-locale", "--no-sync", "--no-instructions");
            File.Delete(passwordFile);

            // A free port can be taken between choosing it and binding it: try a few.
            for (var attempt = 1; ; attempt++)
            {
                _port = FreeLoopbackPort();
                File.AppendAllText(Path.Combine(DataFolder, "postgresql.auto.conf"), string.Join('\n',
                    $"port = {_port}",
                    "listen_addresses = '127.0.0.1'",
                    $"unix_socket_directories = '{SocketFolder}'",
                    "fsync = off",
                    "synchronous_commit = off",
                    "full_page_writes = off",
                    "max_connections = 200",
                    "") + "\n");
                try
                {
                    RunServer("pg_ctl", throwOnFailure: true, "start", "-D", DataFolder, "-l", LogFile, "-w", "-t", "60");
                    return;
                }
                catch (InvalidOperationException) when (attempt < 3)
                {
                    // Try again on another port.
                }
            }
        }

        /// <summary>Runs a PostgreSQL tool, as the service user when this process is root (initdb and pg_ctl refuse root).</summary>
        private void RunServer(string tool, bool throwOnFailure, params string[] arguments)
        {
            var path = Path.Combine(_bin, tool);
            if (_asServiceUser)
            {
                Run("runuser", throwOnFailure, ["-u", ServiceUser, "--", path, .. arguments]);
            }
            else
            {
                Run(path, throwOnFailure, arguments);
            }
        }

        private void Run(string program, bool throwOnFailure, params string[] arguments)
        {
            var start = new ProcessStartInfo(program)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = Directory.Exists(_root) ? _root : Path.GetTempPath(),
            };
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(120)))
            {
                process.Kill(entireProcessTree: true);
            }

            process.WaitForExit();
            if (process.ExitCode != 0 && throwOnFailure)
            {
                var log = File.Exists(LogFile) ? File.ReadAllText(LogFile) : "";
                throw new InvalidOperationException(
                    $"{program} {string.Join(' ', arguments)} failed with exit code {process.ExitCode}:\n{output.Result}{error.Result}\n{log}");
            }
        }

        private static int FreeLoopbackPort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        private static string FindBinaries()
        {
            var candidates = new List<string>();
            if (Environment.GetEnvironmentVariable("TESSERA_PG_BIN") is { Length: > 0 } configured)
            {
                candidates.Add(configured);
            }

            candidates.AddRange((Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries));
            if (Directory.Exists("/usr/lib/postgresql"))
            {
                candidates.AddRange(Directory.GetDirectories("/usr/lib/postgresql")
                    .Select(d => (Dir: d, Version: int.TryParse(Path.GetFileName(d), CultureInfo.InvariantCulture, out var v) ? v : -1))
                    .OrderByDescending(d => d.Version)
                    .Select(d => Path.Combine(d.Dir, "bin")));
            }

            return candidates.FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")))
                ?? throw new InvalidOperationException(
                    "PostgreSQL's initdb and pg_ctl were not found (looked in TESSERA_PG_BIN, PATH and /usr/lib/postgresql/*/bin). "
                    + "Run ./test.sh, which installs PostgreSQL with apt-get, or install it yourself (apt-get install postgresql).");
        }
    }
}
