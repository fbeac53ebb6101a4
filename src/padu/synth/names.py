"""Indonesian personal names for the synthetic Kota Serang, and the ways lists get them wrong.

Sundanese, Javanese, Bantenese and common Islamic names, by sex and birth cohort (older people more often
carry one-word names). Dukcapil/DTSEN hold names in capitals, without academic or religious titles;
OPD lists add titles (H., Hj., S.Pd.), use nicknames (Wawan for Hermawan, Iwan for Kurniawan, Ujang, Neng),
write Muhammad as Moh./Muh./M., swap the order of parts or mistype letters. The functions at the bottom
produce those variants; each returns ``None`` when it does not apply to the given name.

Django-free; every random choice goes through the ``random.Random`` passed in.
"""

from __future__ import annotations

import random

# fmt: off
# --- given names --------------------------------------------------------------------------------------

MALE_OLD = (
    "Sarmin", "Rasmin", "Jamhari", "Sanusi", "Oyo", "Engkos", "Karta", "Kosim", "Marhasan", "Sarip",
    "Jaenudin", "Samsudin", "Sukardi", "Sutisna", "Tatang", "Toto", "Nana", "Nandang", "Endang", "Dadang",
    "Mamat", "Rahmat", "Udin", "Komarudin", "Hasanudin", "Sulaeman", "Suherman", "Sukarna", "Abdul Rohman",
    "Ahmad Sobari", "Muhammad Sholeh", "Haerudin", "Jamaludin", "Matsani", "Rohili", "Sahroni", "Jaya",
    "Entis", "Uci", "Juhri", "Amran", "Sarbini", "Wahyudin", "Maksudi", "Rusdi", "Bahrudin", "Aspani",
    "Slamet", "Sugiarto", "Sumarno", "Mulyono", "Suparman", "Tubagus Ahmad", "Tubagus Hasan",
)
MALE_MID = (
    "Asep", "Ujang", "Dede", "Ade", "Agus", "Aep", "Aceng", "Cecep", "Dadan", "Deden", "Didi", "Enjang",
    "Iwan", "Jajang", "Yayan", "Yaya", "Yusuf", "Wahyu", "Budi", "Bambang", "Joko", "Heri", "Hendra",
    "Rudi", "Rizal", "Arif", "Andi", "Dedi", "Eko", "Fauzi", "Firman", "Hadi", "Hasan", "Husen", "Imam",
    "Lukman", "Ridwan", "Saepul", "Sahrul", "Soleh", "Usep", "Wawan", "Yadi", "Zaenal", "Ahmad",
    "Muhammad", "Ali", "Umar", "Hamdan", "Nurdin", "Syarifudin", "Mulyadi", "Supriadi", "Tubagus",
    "Rohmat", "Endi", "Ikhsan", "Jamal", "Mahmud", "Opan", "Rahmat", "Sopyan", "Herman", "Hermawan",
    "Kurniawan", "Gunawan", "Setiawan", "Ruswandi", "Supriyadi", "Hidayat", "Abdul", "Adi", "Rusli",
)
MALE_YOUNG = (
    "Muhammad", "Muhammad", "Ahmad", "Rizki", "Rizky", "Fajar", "Ilham", "Irfan", "Iqbal", "Gilang",
    "Dimas", "Aditya", "Bayu", "Reza", "Alif", "Fikri", "Azka", "Rafa", "Arkan", "Daffa", "Farrel",
    "Haikal", "Zidan", "Galih", "Naufal", "Rehan", "Satria", "Raka", "Fadil", "Akbar", "Yoga", "Rangga",
    "Dafa", "Ikhsan", "Alfin", "Rafi", "Abdul", "Kevin", "Dicky", "Aldi", "Rendi", "Yusuf", "Hafiz",
    "Fathan", "Raihan", "Arya", "Bagas", "Wildan", "Ridho", "Syahrul", "Ujang", "Asep",
)
MALE_SECOND = (
    "Saputra", "Hidayat", "Kurniawan", "Setiawan", "Hermawan", "Gunawan", "Permana", "Nugraha", "Suryana",
    "Mulyana", "Sopian", "Saepudin", "Ramdani", "Maulana", "Firmansyah", "Hidayatullah", "Rohman", "Fauzi",
    "Syahputra", "Pratama", "Ramadhan", "Wijaya", "Santoso", "Susanto", "Prasetyo", "Wibowo", "Nurhadi",
    "Sudrajat", "Supriatna", "Rusdiana", "Jaelani", "Sobari", "Hambali", "Sanusi", "Rusli", "Muhtar",
    "Sujana", "Sunarya", "Mulyadi", "Ruswandi", "Supriyadi", "Sudirman", "Hasanudin", "Fadillah",
    "Hakim", "Syamsudin", "Kusnadi", "Ardiansyah", "Wahyudi", "Rosadi", "Mubarok", "Arifin", "Rahman",
    "Alfarizi", "Akbar", "Nurdiansyah", "Hamdani", "Sutisna", "Junaedi", "Sahroni",
)

FEMALE_OLD = (
    "Saodah", "Romlah", "Mumun", "Oom", "Enok", "Jumsih", "Kasmah", "Sarinah", "Sainah", "Murtini",
    "Aminah", "Fatimah", "Halimah", "Juariah", "Komariah", "Rohmah", "Khodijah", "Maryam", "Atikah",
    "Ratu", "Entin", "Enung", "Popon", "Titin", "Tuti", "Nunung", "Imas", "Euis", "Ijah", "Mimin",
    "Siti Aminah", "Siti Maryam", "Siti Khodijah", "Sri Wahyuni", "Sumarni", "Suryati", "Rukmini",
    "Nurhayati", "Kurniasih", "Juhaeriah", "Rohimah", "Maesaroh", "Sulastri", "Sumiati", "Maryati",
    "Ratu Siti", "Oneng", "Enah", "Icih", "Acih",
)
FEMALE_MID = (
    "Siti", "Siti", "Nur", "Dewi", "Sri", "Euis", "Eneng", "Neneng", "Iis", "Imas", "Cucu", "Ela",
    "Elis", "Ika", "Ina", "Irma", "Lilis", "Nani", "Nia", "Nining", "Ratna", "Rina", "Rini", "Rosita",
    "Wati", "Yati", "Yeni", "Yuli", "Ai", "Ayu", "Fitri", "Indah", "Lina", "Maya", "Mega", "Novi",
    "Rahma", "Heni", "Neng", "Tini", "Eti", "Yanti", "Susi", "Yani", "Eni", "Ratu", "Nurul", "Dina",
    "Evi", "Erna", "Desi", "Lia", "Mira", "Tita", "Wulan",
)
FEMALE_YOUNG = (
    "Siti", "Nur", "Putri", "Salsa", "Salsabila", "Nabila", "Aisyah", "Zahra", "Keysha", "Alya", "Syifa",
    "Aulia", "Annisa", "Dinda", "Nayla", "Kirana", "Citra", "Intan", "Amelia", "Fitri", "Indah", "Dewi",
    "Anisa", "Naila", "Azzahra", "Khanza", "Shafa", "Rahma", "Tiara", "Adinda", "Bunga", "Cantika",
    "Zaskia", "Hilya", "Nadia", "Sinta", "Vina", "Wulan", "Yulia", "Neng", "Ratu",
)
FEMALE_SECOND = (
    "Nurhayati", "Rohmawati", "Fitriani", "Sari", "Lestari", "Handayani", "Rahmawati", "Wulandari",
    "Susilawati", "Komariah", "Hasanah", "Khodijah", "Aminah", "Mulyani", "Rosita", "Kurniasih",
    "Yulianti", "Marlina", "Herlina", "Suryani", "Nuraeni", "Maesaroh", "Rohimah", "Sumiati", "Juhaeriah",
    "Rukmini", "Sulastri", "Suryati", "Maryati", "Pertiwi", "Anggraini", "Puspitasari", "Oktaviani",
    "Ramadhani", "Safitri", "Azzahra", "Putri", "Amelia", "Permatasari", "Rahayu", "Nurjanah",
    "Rohayati", "Agustina", "Fauziah", "Nuraini", "Hayati", "Zahra", "Aprilia", "Sofiah", "Munawaroh",
)

MUHAMMAD_FORMS = (
    "Muhammad", "Mohammad", "Muhamad", "Mohamad", "Mochammad", "Mochamad", "Muchammad", "Mukhamad",
)
MUHAMMAD_ABBREVIATIONS = ("Moh.", "Muh.", "M.", "Moch.", "Mhd.", "Much.")
_MUHAMMAD_ALL = {f.upper() for f in MUHAMMAD_FORMS} | {a.upper() for a in MUHAMMAD_ABBREVIATIONS}

# Name part -> nicknames used in everyday lists (the Dukcapil name keeps the full part).
NICKNAMES: dict[str, tuple[str, ...]] = {
    "HERMAWAN": ("Wawan",), "KURNIAWAN": ("Iwan",), "SETIAWAN": ("Iwan",), "GUNAWAN": ("Awan",),
    "RUSWANDI": ("Wandi",), "SUPRIYADI": ("Yadi",), "SUPRIADI": ("Yadi",), "MULYADI": ("Yadi",),
    "HIDAYAT": ("Dayat",), "RAHMAT": ("Mamat",), "ROHMAT": ("Mamat",), "ROHMAN": ("Oman",),
    "MUHAMMAD": ("Mamad", "Memed"), "AHMAD": ("Amat", "Mamat"), "SULAEMAN": ("Leman",),
    "SUHERMAN": ("Herman",), "SUKARNA": ("Karna",), "SAEPUDIN": ("Udin",), "JAENUDIN": ("Udin", "Jaen"),
    "NURDIN": ("Udin",), "SAMSUDIN": ("Udin",), "KOMARUDIN": ("Udin", "Komar"), "HASANUDIN": ("Udin",),
    "SYARIFUDIN": ("Udin", "Ipud"), "WAHYUDIN": ("Udin",), "HAERUDIN": ("Udin",), "ZAENAL": ("Enal",),
    "SLAMET": ("Memet",), "YUSUF": ("Ucup",), "SAEPUL": ("Ipul",), "SOPYAN": ("Opan",),
    "SOPIAN": ("Opan",), "SAHRUL": ("Arul",), "RIDWAN": ("Iwan",), "FIRMANSYAH": ("Firman",),
    "ABDUL": ("Dul",), "TUBAGUS": ("Tb.",), "BAMBANG": ("Bams",), "HENDRA": ("Hendi",),
    "NURHAYATI": ("Yati",), "SUMARNI": ("Marni",), "WAHYUNI": ("Yuni",), "ROHMAH": ("Omah",),
    "KOMARIAH": ("Kokom", "Omah"), "KURNIASIH": ("Nia", "Asih"), "JUARIAH": ("Juju",), "EUIS": ("Iis",),
    "YULIANTI": ("Yuli",), "FITRIANI": ("Fitri",), "RAHMAWATI": ("Wati", "Rahma"),
    "SUSILAWATI": ("Susi", "Wati"), "HANDAYANI": ("Yani",), "NURAENI": ("Eni",),
    "KHODIJAH": ("Ijah", "Dijah"), "AISYAH": ("Icah",), "AMINAH": ("Minah",), "FATIMAH": ("Imah",),
    "HALIMAH": ("Imah",), "MAESAROH": ("Esa", "Saroh"), "ROHIMAH": ("Imah",), "SUMIATI": ("Sumi",),
    "MARYATI": ("Mar",), "SURYATI": ("Yati",), "ROHAYATI": ("Yati",), "NURJANAH": ("Nur", "Janah"),
    "SITI": ("Iti",), "SALSABILA": ("Salsa",), "SULASTRI": ("Lastri",), "MARLINA": ("Lina",),
    "HERLINA": ("Lina",), "NURAINI": ("Aini",),
}
GENERIC_NICKNAMES_MALE = ("Ujang", "Asep", "Jang", "Kang")
GENERIC_NICKNAMES_FEMALE = ("Neng", "Eneng", "Nyai", "Teh")

TITLES_PREFIX_MALE = ("H.", "Drs.", "Ir.", "Ust.", "KH.", "dr.")
TITLES_PREFIX_FEMALE = ("Hj.", "Dra.", "Ustz.", "Hj.", "Hj.")
TITLES_SUFFIX = ("S.Pd.", "S.E.", "S.Ag.", "S.H.", "S.Kom.", "S.Pd.I", "A.Md.", "S.Sos.", "S.IP.")
TITLES_SUFFIX_FEMALE = ("S.Pd.", "S.E.", "S.Kep.", "A.Md.Keb.", "S.Pd.I", "S.Sos.")

# Phonetic/orthographic swaps seen in Indonesian data entry (old spelling, Sundanese f/p and z/j).
_SPELLING_SWAPS = (
    ("OE", "U"), ("U", "OE"), ("DJ", "J"), ("TJ", "C"), ("Y", "I"), ("I", "Y"), ("KH", "H"),
    ("F", "P"), ("P", "F"), ("Z", "J"), ("SY", "S"), ("AE", "E"), ("E", "AE"), ("CH", "K"),
    ("TH", "T"), ("DH", "D"), ("AH", "A"), ("IH", "I"), ("NN", "N"), ("MM", "M"),
)
_KEYBOARD_NEIGHBOURS = {
    "A": "SQ", "B": "VN", "C": "XV", "D": "SF", "E": "WR", "F": "DG", "G": "FH", "H": "GJ", "I": "UO",
    "J": "HK", "K": "JL", "L": "K", "M": "N", "N": "BM", "O": "IP", "P": "O", "Q": "W", "R": "ET",
    "S": "AD", "T": "RY", "U": "YI", "V": "CB", "W": "QE", "X": "ZC", "Y": "TU", "Z": "X",
}
# fmt: on


def _pick(rng: random.Random, seq: tuple[str, ...]) -> str:
    return seq[int(rng.random() * len(seq))]


def given_name(rng: random.Random, sex: str, birth_year: int) -> str:
    """A full name (upper case, as Dukcapil stores it) for someone of this sex born in this year."""
    male = sex == "L"
    first: tuple[str, ...]
    if birth_year < 1965:
        first, p_second = (MALE_OLD, 0.35) if male else (FEMALE_OLD, 0.30)
    elif birth_year < 1995:
        first, p_second = (MALE_MID, 0.80) if male else (FEMALE_MID, 0.75)
    else:
        first, p_second = (MALE_YOUNG, 0.92) if male else (FEMALE_YOUNG, 0.90)
    second = MALE_SECOND if male else FEMALE_SECOND
    parts = [_pick(rng, first)]
    if parts[0] in {"Muhammad", "Ahmad", "Abdul", "Siti", "Nur", "Tubagus", "Ratu", "Neng"}:
        p_second = 1.0
    if rng.random() < p_second:
        nxt = _pick(rng, second)
        if nxt != parts[0]:
            parts.append(nxt)
        if birth_year >= 1995 and rng.random() < 0.25:
            third = _pick(rng, second)
            if third not in parts:
                parts.append(third)
    if male and parts[0] == "Muhammad" and rng.random() < 0.35:
        parts[0] = _pick(rng, MUHAMMAD_FORMS)
    return " ".join(parts).upper()


# --- list-style variants (faults) ---------------------------------------------------------------------


def has_muhammad(name: str) -> bool:
    up = name.upper()
    return ("M" in up) and any(part in _MUHAMMAD_ALL for part in up.split())


def muhammad_variant(rng: random.Random, name: str) -> str | None:
    """Write Muhammad (any spelling) differently: Moh., Muh., M., Mochamad ... ``None`` if absent."""
    parts = name.split()
    for i, part in enumerate(parts):
        if part.upper() in _MUHAMMAD_ALL:
            choices = [v for v in (*MUHAMMAD_ABBREVIATIONS, *MUHAMMAD_FORMS) if v.upper() != part.upper()]
            new = _pick(rng, tuple(choices))
            parts[i] = new.upper() if part.isupper() else new
            return " ".join(parts)
    return None


def nickname(rng: random.Random, name: str, sex: str) -> str | None:
    """Replace a part by its nickname (Hermawan -> Wawan) or call the person Ujang/Neng + a part."""
    parts = name.split()
    upper = name.isupper()
    options = [(i, NICKNAMES[p.upper()]) for i, p in enumerate(parts) if p.upper() in NICKNAMES]
    if options and rng.random() < 0.75:
        i, nicks = options[int(rng.random() * len(options))]
        nick = _pick(rng, nicks)
        new_parts = [nick] if rng.random() < 0.3 else [*parts[:i], nick, *parts[i + 1 :]]
    else:
        generic = GENERIC_NICKNAMES_MALE if sex == "L" else GENERIC_NICKNAMES_FEMALE
        new_parts = [_pick(rng, generic), parts[-1]] if len(parts) > 1 else [_pick(rng, generic), parts[0]]
    out = " ".join(new_parts)
    out = out.upper() if upper else out
    return out if out != name else None


def with_title(rng: random.Random, name: str, sex: str, age: int = 40) -> str | None:
    """Add a religious or academic title: H. AHMAD FAUZI, S.Pd.  /  Hj. SITI AMINAH.

    ``None`` for children and teenagers; academic titles from 22, religious ones (H., Hj., Ust.) from 30."""
    if age < 22:
        return None
    male = sex == "L"
    suffixes = TITLES_SUFFIX if male else TITLES_SUFFIX_FEMALE
    r = rng.random() if age >= 30 else 0.6
    if r < 0.55:
        return f"{_pick(rng, TITLES_PREFIX_MALE if male else TITLES_PREFIX_FEMALE)} {name}"
    if r < 0.85:
        return f"{name}, {_pick(rng, suffixes)}"
    return f"{'H.' if male else 'Hj.'} {name}, {_pick(rng, suffixes)}"


def swapped(rng: random.Random, name: str) -> str | None:
    """Swap the order of name parts (RAHMAT HIDAYAT -> HIDAYAT RAHMAT); ``None`` for one-part names."""
    parts = name.split()
    if len(parts) < 2:
        return None
    if len(parts) == 2:
        return f"{parts[1]} {parts[0]}"
    k = 1 + int(rng.random() * (len(parts) - 1))
    return " ".join(parts[k:] + parts[:k])


def typo(rng: random.Random, name: str) -> str:
    """One data-entry slip: spelling variant (DJ/J, F/P, Z/J ...), dropped, doubled, swapped or
    neighbouring-key letter. Always returns a different string."""
    up = name.upper()
    for _ in range(8):
        r = rng.random()
        if r < 0.35:
            old, new = _SPELLING_SWAPS[int(rng.random() * len(_SPELLING_SWAPS))]
            idx = up.find(old)
            if idx < 0:
                continue
            out = up[:idx] + new + up[idx + len(old) :]
        else:
            letters = [i for i, c in enumerate(up) if c.isalpha()]
            if len(letters) < 3:
                continue
            i = letters[1 + int(rng.random() * (len(letters) - 1))]
            if r < 0.55:
                out = up[:i] + up[i + 1 :]
            elif r < 0.7:
                out = up[:i] + up[i] + up[i:]
            elif r < 0.85 and i + 1 < len(up) and up[i + 1].isalpha():
                out = up[:i] + up[i + 1] + up[i] + up[i + 2 :]
            else:
                near = _KEYBOARD_NEIGHBOURS.get(up[i], "A")
                out = up[:i] + near[int(rng.random() * len(near))] + up[i + 1 :]
        if out != up and out.strip():
            return out if name.isupper() else out.title()
    return (up + "H") if name.isupper() else (up + "H").title()


def list_case(name: str, style: str) -> str:
    """How an OPD writes names: ``upper`` (AHMAD FAUZI) or ``title`` (Ahmad Fauzi)."""
    if style == "title":
        return " ".join(p if p.endswith(".") and len(p) <= 5 else p.capitalize() for p in name.split())
    return name
