/*
 * district/outfile.c: export files are written beside their final name and
 * renamed over it only once complete and on disk, so a failed export
 * (full disk, killed process, libxlsxwriter error) leaves no partial file.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "district/internal.h"

int outfile_temp_path(const char *path, char *tmp, size_t cap)
{
	int n = snprintf(tmp, cap, "%s.tmp.%ld", path, (long)getpid());
	if (n < 0 || (size_t)n >= cap) {
		errno = ENAMETOOLONG;
		return DISTRICT_EIO;
	}
	return 0;
}

static int fsync_path(const char *path, int dir)
{
	int fd = open(path, (dir ? O_RDONLY | O_DIRECTORY : O_WRONLY) | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = fsync(fd);
	int e = errno;
	close(fd);
	errno = e;
	return rc;
}

int outfile_commit(const char *tmp, const char *path)
{
	char dir[4096];
	snprintf(dir, sizeof dir, "%s", path);
	char *slash = strrchr(dir, '/');
	if (slash)
		slash == dir ? (void)(slash[1] = '\0') : (void)(*slash = '\0');
	else
		strcpy(dir, ".");
	if (fsync_path(tmp, 0) != 0 || rename(tmp, path) != 0) {
		int e = errno;
		unlink(tmp);
		errno = e;
		return DISTRICT_EIO;
	}
	/* The rename is the commit; a directory that cannot be synced (some
	 * file systems refuse) still holds the whole file. */
	fsync_path(dir, 1);
	return 0;
}

int outfile_write(const char *path, int (*fn)(FILE *f, void *arg), void *arg)
{
	char tmp[4200];
	int rc = outfile_temp_path(path, tmp, sizeof tmp);
	if (rc)
		return rc;
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0666);
	if (fd < 0)
		return DISTRICT_EIO;
	FILE *f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		unlink(tmp);
		return DISTRICT_ENOMEM;
	}
	rc = fn(f, arg);
	if (rc == 0 && (fflush(f) != 0 || ferror(f) || fsync(fd) != 0))
		rc = DISTRICT_EIO;
	int e = errno;
	if (fclose(f) != 0 && rc == 0)
		rc = DISTRICT_EIO, e = errno;
	if (rc) {
		unlink(tmp);
		errno = e;
		return rc;
	}
	return outfile_commit(tmp, path);
}
